package org.o365elk.testengine.elasticsearch;

import java.util.List;
import java.util.function.Supplier;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.cluster.metadata.DataStream;
import org.elasticsearch.cluster.metadata.MetadataIndexTemplateService;
import org.elasticsearch.cluster.metadata.ProjectMetadata;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.Strings;
import org.elasticsearch.common.regex.Regex;
import org.elasticsearch.index.Index;
import org.elasticsearch.index.IndexNotFoundException;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.xcontent.XContentBuilder;

/**
 * {@code GET /_data_stream} and {@code GET /_data_stream/NAME} (names separated by commas, {@code *}
 * wildcards): each data stream's name, timestamp field, backing indices, generation and template, as
 * Elasticsearch lists them. A name without a wildcard that matches nothing answers 404.
 */
final class GetDataStreamsHandler extends BaseRestHandler {
    private final Supplier<ClusterService> clusterService;

    GetDataStreamsHandler(Supplier<ClusterService> clusterService) {
        this.clusterService = clusterService;
    }

    @Override
    public String getName() {
        return "o365_elk_test_engine_get_data_streams";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.GET, "/_data_stream"), new Route(RestRequest.Method.GET, "/_data_stream/{name}"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        String[] names = Strings.splitStringByCommaToArray(request.param("name", "*"));
        ProjectMetadata project = clusterService.get().state().metadata().getProject();
        return channel -> {
            for (String name : names) {
                if (Regex.isSimpleMatchPattern(name) == false && project.dataStreams().containsKey(name) == false) {
                    channel.sendResponse(new RestResponse(channel, new IndexNotFoundException(name)));
                    return;
                }
            }
            List<DataStream> matching = project.dataStreams().values().stream()
                .filter(stream -> Regex.simpleMatch(names, stream.getName()))
                .sorted((a, b) -> a.getName().compareTo(b.getName()))
                .toList();
            XContentBuilder body = channel.newBuilder();
            body.startObject().startArray("data_streams");
            for (DataStream stream : matching) {
                body.startObject()
                    .field("name", stream.getName())
                    .startObject("timestamp_field").field("name", "@timestamp").endObject()
                    .startArray("indices");
                for (Index index : stream.getIndices()) {
                    body.startObject().field("index_name", index.getName()).field("index_uuid", index.getUUID()).endObject();
                }
                body.endArray()
                    .field("generation", stream.getGeneration())
                    .field("template", MetadataIndexTemplateService.findV2Template(project, stream.getName(), stream.isHidden()))
                    .field("hidden", stream.isHidden())
                    .endObject();
            }
            body.endArray().endObject();
            channel.sendResponse(new RestResponse(RestStatus.OK, body));
        };
    }
}
