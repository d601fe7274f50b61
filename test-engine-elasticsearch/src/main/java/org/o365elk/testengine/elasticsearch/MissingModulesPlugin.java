package org.o365elk.testengine.elasticsearch;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.RestHandler;

/**
 * What the modules a stock node loads would serve and Maven Central does not publish: {@code GET /}
 * (rest-root) and reading and deleting data streams (data-streams). Creating a data stream needs neither:
 * the server creates it on the first write that a template with {@code data_stream} matches.
 */
public final class MissingModulesPlugin extends Plugin implements ActionPlugin {
    private final AtomicReference<ClusterService> clusterService = new AtomicReference<>();

    @Override
    public Collection<?> createComponents(PluginServices services) {
        clusterService.set(services.clusterService());
        return List.of();
    }

    @Override
    public Collection<RestHandler> getRestHandlers(
        RestHandlersServices services,
        Supplier<DiscoveryNodes> nodes,
        Predicate<NodeFeature> clusterSupportsFeature
    ) {
        return List.of(
            new RootHandler(clusterService::get),
            new GetDataStreamsHandler(clusterService::get),
            new DeleteDataStreamHandler(clusterService::get));
    }
}
