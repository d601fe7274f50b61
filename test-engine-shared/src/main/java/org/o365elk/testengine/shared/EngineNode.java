package org.o365elk.testengine.shared;

import java.io.Closeable;

/** An engine's node, built but not yet started, as the two servers' Node classes share no type. */
public record EngineNode(Starter starter, Closeable closer) {
    @FunctionalInterface
    public interface Starter {
        /** Starts the node and returns the port its HTTP server is bound to. */
        int start() throws Exception;
    }
}
