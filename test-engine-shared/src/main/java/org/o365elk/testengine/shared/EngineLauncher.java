package org.o365elk.testengine.shared;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * Runs a single-node engine on 127.0.0.1 for tests and benchmarks; each engine's main supplies only its
 * node. This folder is compiled into both engine projects, each with its own JDK, so it must stay free
 * of any server's classes and of language features newer than Java 17.
 *
 * <p>Usage: {@code MAIN --dir DIR [--port N] [--keep-data true|false]}. Port 0 or none lets the OS
 * choose; the data under DIR is deleted at start unless {@code --keep-data true}. Once HTTP listens,
 * prints exactly one line {@code listening http://127.0.0.1:PORT} on stdout; logs go to stderr. Stops
 * on SIGTERM/SIGINT and when the process that started it dies.
 */
public final class EngineLauncher {
    public static final String NODE_NAME = "o365-elk-test-engine";

    /** Builds the node; the engine may prepare more under {@code home} first. */
    @FunctionalInterface
    public interface NodeFactory {
        EngineNode create(Path home, Map<String, String> settings) throws Exception;
    }

    private EngineLauncher() {}

    /**
     * {@code program} names the main class in usage errors; {@code configFileName} is the file the
     * server reads from config/ ({@code opensearch.yml}, {@code elasticsearch.yml}).
     */
    public static void run(String program, String configFileName, String[] args, NodeFactory nodeFactory)
            throws Exception {
        EngineArgs engineArgs = EngineArgs.parse(program, args);
        Path home = engineArgs.dir().resolve("home");
        Path data = engineArgs.dir().resolve("data");
        prepareHome(home, configFileName);
        // Every run starts empty so that one run's indices never leak into the next, unless the caller
        // restarts an engine on purpose to find its data again (a test of an engine outage).
        if (!engineArgs.keepData()) {
            deleteRecursively(data);
        }
        Files.createDirectories(data);

        EngineNode node = nodeFactory.create(home, settings(home, data, engineArgs.port()));
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.closer().close();
            } catch (IOException e) {
                System.err.println("test engine: closing the node failed: " + e);
            } finally {
                closed.countDown();
            }
        }, "test-engine-shutdown"));
        exitWhenParentDies();

        int port = node.starter().start();
        System.out.println("listening http://127.0.0.1:" + port);
        System.out.flush();

        // Both servers' threads are all daemons: without this wait the JVM would exit right here.
        closed.await();
    }

    /** The same keys mean the same to OpenSearch 2 and Elasticsearch 9. */
    private static Map<String, String> settings(Path home, Path data, int port) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("path.home", home.toString());
        settings.put("path.data", data.toString());
        settings.put("cluster.name", NODE_NAME);
        settings.put("node.name", NODE_NAME);
        settings.put("discovery.type", "single-node");
        settings.put("network.host", "127.0.0.1");
        settings.put("http.port", Integer.toString(port));
        // Several engines may run side by side; the transport port is never used from outside.
        settings.put("transport.port", "0");
        // Test disks can be nearly full; the flood-stage watermark would make every index read-only.
        settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
        return settings;
    }

    /** The layout Node expects under path.home, as a distribution would ship it (all empty). */
    private static void prepareHome(Path home, String configFileName) throws IOException {
        Path config = Files.createDirectories(home.resolve("config"));
        Path configFile = config.resolve(configFileName);
        if (!Files.exists(configFile)) {
            Files.createFile(configFile);
        }
        Files.createDirectories(home.resolve("modules"));
        Files.createDirectories(home.resolve("plugins"));
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** A test runner killed with SIGKILL cannot stop its engine; the engine notices and stops itself. */
    private static void exitWhenParentDies() {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
            System.err.println("test engine: parent process " + parent.pid() + " exited, stopping");
            System.exit(0);
        }));
    }
}
