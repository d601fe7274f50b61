package org.o365elk.testengine.elasticsearch;

import java.util.List;
import java.util.Map;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.http.HttpServerTransport;
import org.elasticsearch.node.ClasspathPluginNode;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.transport.netty4.Netty4Plugin;
import org.o365elk.testengine.shared.EngineLauncher;
import org.o365elk.testengine.shared.EngineNode;

/**
 * Runs a single-node Elasticsearch on 127.0.0.1 for tests.
 *
 * <p>Usage: {@code ElasticsearchTestEngine --dir DIR [--port N] [--keep-data true|false]}; see
 * {@link EngineLauncher}.
 */
public final class ElasticsearchTestEngine {
    private static final String LOG_CONFIGURATION = "/test-engine-log4j2.properties";

    private ElasticsearchTestEngine() {}

    public static void main(String[] args) throws Exception {
        EngineLauncher.run("ElasticsearchTestEngine", "elasticsearch.yml", args, (home, settings) -> {
            // Before anything loads Elasticsearch's native access, which reads these once.
            NativeLibraries.useSystemZstd(home.resolve("native"));
            configureLogging();
            Environment environment = InternalSettingsPreparer.prepareEnvironment(
                Settings.builder().loadFromMap(settings).build(), Map.of(), home.resolve("config"),
                () -> EngineLauncher.NODE_NAME);
            Node node = ClasspathPluginNode.create(environment, List.of(Netty4Plugin.class, MissingModulesPlugin.class));
            return new EngineNode(() -> node.start().injector().getInstance(HttpServerTransport.class)
                .boundAddress().publishAddress().getPort(), node::close);
        });
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
}
