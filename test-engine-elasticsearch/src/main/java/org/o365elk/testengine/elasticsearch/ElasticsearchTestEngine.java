package org.o365elk.testengine.elasticsearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.http.HttpServerTransport;
import org.elasticsearch.node.ClasspathPluginNode;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.transport.netty4.Netty4Plugin;

/**
 * Runs a single-node Elasticsearch on 127.0.0.1 for tests.
 *
 * <p>Usage: {@code ElasticsearchTestEngine --dir DIR [--port N] [--keep-data true|false]}. Port 0 or
 * none lets the OS choose; the data under DIR is deleted at start unless {@code --keep-data true}. Once
 * HTTP listens, prints exactly one line {@code listening http://127.0.0.1:PORT} on stdout; logs go to
 * stderr. Stops on SIGTERM/SIGINT and when the process that started it dies.
 */
public final class ElasticsearchTestEngine {
    private static final String NODE_NAME = "o365-elk-test-engine";
    private static final String LOG_CONFIGURATION = "/test-engine-log4j2.properties";

    private ElasticsearchTestEngine() {}

    public static void main(String[] args) throws Exception {
        EngineArgs engineArgs = EngineArgs.parse(args);
        Path home = engineArgs.dir().resolve("home");
        Path data = engineArgs.dir().resolve("data");
        prepareHome(home);
        // Before anything loads Elasticsearch's native access, which reads these once.
        NativeLibraries.useSystemZstd(home.resolve("native"));
        configureLogging();
        // Every run starts empty so that one run's indices never leak into the next, unless the caller
        // restarts an engine on purpose to find its data again (a test of an engine outage).
        if (!engineArgs.keepData()) {
            deleteRecursively(data);
        }
        Files.createDirectories(data);

        Settings settings = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", data.toString())
            .put("cluster.name", NODE_NAME)
            .put("node.name", NODE_NAME)
            .put("discovery.type", "single-node")
            .put("network.host", "127.0.0.1")
            .put("http.port", engineArgs.port())
            // Several engines may run side by side; the transport port is never used from outside.
            .put("transport.port", 0)
            // Test disks can be nearly full; the flood-stage watermark would make every index read-only.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .build();
        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            settings, Map.of(), home.resolve("config"), () -> NODE_NAME);

        Node node = ClasspathPluginNode.create(environment, List.of(Netty4Plugin.class, MissingModulesPlugin.class));
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (IOException e) {
                System.err.println("test engine: closing the node failed: " + e);
            } finally {
                closed.countDown();
            }
        }, "test-engine-shutdown"));
        exitWhenParentDies();

        node.start();
        int port = node.injector().getInstance(HttpServerTransport.class)
            .boundAddress().publishAddress().getPort();
        System.out.println("listening http://127.0.0.1:" + port);
        System.out.flush();

        // Elasticsearch's threads are all daemons: without this wait the JVM would exit right here.
        closed.await();
    }

    /**
     * The test framework's jar ships a log4j2-test.properties that log4j would prefer to any other
     * configuration found on the classpath; naming ours explicitly keeps it out.
     */
    private static void configureLogging() {
        System.setProperty("log4j2.configurationFile",
            ElasticsearchTestEngine.class.getResource(LOG_CONFIGURATION).toString());
        LogConfigurator.configureESLogging();
    }

    /** The layout Node expects under path.home, as a distribution would ship it (all empty). */
    private static void prepareHome(Path home) throws IOException {
        Path config = Files.createDirectories(home.resolve("config"));
        Path elasticsearchYml = config.resolve("elasticsearch.yml");
        if (!Files.exists(elasticsearchYml)) {
            Files.createFile(elasticsearchYml);
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
