package org.o365elk.testengine;

import java.util.Map;

import org.o365elk.testengine.shared.EngineLauncher;
import org.o365elk.testengine.shared.EngineNode;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.http.HttpServerTransport;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;

/**
 * Runs a single-node OpenSearch on 127.0.0.1 for tests and benchmarks.
 *
 * <p>Usage: {@code TestEngine --dir DIR [--port N] [--keep-data true|false]}; see {@link EngineLauncher}.
 */
public final class TestEngine {
    private TestEngine() {}

    public static void main(String[] args) throws Exception {
        EngineLauncher.run("TestEngine", "opensearch.yml", args, (home, settings) -> {
            Environment environment = InternalSettingsPreparer.prepareEnvironment(
                Settings.builder().loadFromMap(settings).build(), Map.of(), home.resolve("config"),
                () -> EngineLauncher.NODE_NAME);
            Node node = new ClasspathPluginNode(environment, ClasspathPluginNode.MODULES);
            return new EngineNode(() -> node.start().injector().getInstance(HttpServerTransport.class)
                .boundAddress().publishAddress().getPort(), node::close);
        });
    }
}
