package org.o365elk.testengine;

import java.util.Collection;
import java.util.List;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.env.Environment;
import org.opensearch.geo.GeoModulePlugin;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.ingest.common.IngestCommonPlugin;
import org.opensearch.ingest.useragent.IngestUserAgentPlugin;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * A node whose modules come from the classpath instead of a distribution's modules/ folder: Maven
 * Central publishes the module jars but not the packaged distribution. Node's constructor that takes
 * classpath plugins is protected, hence this subclass.
 */
final class ClasspathPluginNode extends Node {
    /** What a stock OpenSearch distribution would load from modules/ and the connector may use. */
    static final List<Class<? extends Plugin>> MODULES = List.of(
        Netty4Plugin.class, // the HTTP server
        CommonAnalysisPlugin.class,
        MapperExtrasPlugin.class,
        ReindexPlugin.class,
        PainlessPlugin.class,
        IngestCommonPlugin.class,
        GeoModulePlugin.class,
        IngestUserAgentPlugin.class);

    ClasspathPluginNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
        super(environment, plugins, true);
    }
}
