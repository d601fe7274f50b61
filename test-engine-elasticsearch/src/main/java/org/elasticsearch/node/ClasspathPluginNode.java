package org.elasticsearch.node;

import java.util.Collection;

import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.MockPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsLoader;
import org.elasticsearch.plugins.PluginsService;

/**
 * A node whose plugins are classes on the classpath instead of a distribution's modules/ folder, which
 * Maven Central does not publish. The constructor and the service provider that make this possible are
 * package-private, hence this class's package.
 */
public final class ClasspathPluginNode extends Node {
    private ClasspathPluginNode(NodeConstruction construction) {
        super(construction);
    }

    public static ClasspathPluginNode create(Environment environment, Collection<Class<? extends Plugin>> plugins) {
        NodeServiceProvider provider = new NodeServiceProvider() {
            @Override
            PluginsService newPluginService(Environment env, PluginsLoader loader) {
                return new MockPluginsService(env.settings(), env, plugins);
            }
        };
        return new ClasspathPluginNode(NodeConstruction.prepareConstruction(environment, null, provider, true));
    }
}
