package org.o365elk.testengine.elasticsearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.cluster.ClusterState;
import org.elasticsearch.cluster.ClusterStateUpdateTask;
import org.elasticsearch.cluster.metadata.DataStream;
import org.elasticsearch.cluster.metadata.MetadataDataStreamsService;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.Priority;
import org.elasticsearch.index.IndexNotFoundException;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestChannel;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;

/** {@code DELETE /_data_stream/NAME}: the data stream and its backing indices; 404 when there is none. */
final class DeleteDataStreamHandler extends BaseRestHandler {
    private final Supplier<ClusterService> clusterService;

    DeleteDataStreamHandler(Supplier<ClusterService> clusterService) {
        this.clusterService = clusterService;
    }

    @Override
    public String getName() {
        return "o365_elk_test_engine_delete_data_stream";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.DELETE, "/_data_stream/{name}"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        String name = request.param("name");
        ClusterService cluster = clusterService.get();
        return channel -> cluster.submitUnbatchedStateUpdateTask("delete-data-stream [" + name + "]", new ClusterStateUpdateTask(Priority.HIGH) {
            @Override
            public ClusterState execute(ClusterState current) {
                DataStream stream = current.metadata().getProject().dataStreams().get(name);
                if (stream == null) {
                    throw new IndexNotFoundException(name);
                }
                return MetadataDataStreamsService.deleteDataStreams(current.projectState(), Set.of(stream), current.metadata().settings());
            }

            @Override
            public void clusterStateProcessed(ClusterState before, ClusterState after) {
                channel.sendResponse(acknowledged(channel));
            }

            @Override
            public void onFailure(Exception failure) {
                sendFailure(channel, failure);
            }
        });
    }

    private static RestResponse acknowledged(RestChannel channel) {
        try {
            return new RestResponse(RestStatus.OK, channel.newBuilder().startObject().field("acknowledged", true).endObject());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sendFailure(RestChannel channel, Exception failure) {
        try {
            channel.sendResponse(new RestResponse(channel, failure));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
