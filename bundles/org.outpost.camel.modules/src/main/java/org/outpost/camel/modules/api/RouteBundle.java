/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.api;

/**
 * A route module is a bundle made on the fly from Camel route files, so that everything the gateway does for bundle
 * modules (the module's own {@code ModuleClient} and {@code ModuleTwin}, inputs and methods as whiteboard services,
 * {@code edge:list} with its state and reason, restart policies, accounting, hot redeploy from {@code deploy/}) holds
 * for routes too. Such a bundle has no code of its own:
 * <ul>
 * <li>{@value #MODULE_HEADER} (the module id) and {@value #ROUTES_HEADER} (the route files' paths inside the bundle,
 * comma separated; YAML when the name ends in {@code .yaml}/{@code .yml}, XML when in {@code .xml});</li>
 * <li>{@code Bundle-SymbolicName: }{@value #SYMBOLIC_NAME_PREFIX}{@code <module>}, {@code DynamicImport-Package: *}
 * (so that routes may name classes of any exported package, such as the analytics processors);</li>
 * <li>{@code Service-Component} naming one component, {@link #componentXml(String, String)}, whose implementation
 * class {@value #COMPONENT_CLASS} is imported from this bundle: it runs the routes in a Camel context of the module's
 * own, with the configuration (the module's desired properties) as the routes' properties;</li>
 * <li>optionally a Metatype definition of that PID typed from the routes' placeholders.</li>
 * </ul>
 */
public final class RouteBundle {

    /** The module id header, as for every module bundle ({@code org.outpost.api.module.EdgeModule#HEADER}). */
    public static final String MODULE_HEADER = "Outpost-Module";
    /** The route files inside the bundle, comma separated. */
    public static final String ROUTES_HEADER = "Outpost-Camel-Routes";
    /** Where the route file came from ({@code file:...} or the manifest's location), for operators. */
    public static final String SOURCE_HEADER = "Outpost-Camel-Source";
    /** The symbolic name of a route module's bundle is this prefix and the module id. */
    public static final String SYMBOLIC_NAME_PREFIX = "outpost.routes.";
    /** The component class the route bundle's Service-Component names. */
    public static final String COMPONENT_CLASS = "org.outpost.camel.modules.runtime.RouteModule";
    /** The package of {@link #COMPONENT_CLASS}, which a route bundle imports. */
    public static final String COMPONENT_PACKAGE = "org.outpost.camel.modules.runtime";
    /** The component description's path inside the bundle. */
    public static final String COMPONENT_XML_PATH = "OSGI-INF/outpost-route-module.xml";
    /** A module's configuration PID unless a deployment names another, as for every module. */
    public static final String PID_PREFIX = "org.outpost.module.";

    private RouteBundle() {
    }

    /**
     * @param module the module id
     * @param pid the configuration PID that holds the module's desired properties
     * @return the Declarative Services description (DS 1.4) of the component that runs the bundle's routes: immediate,
     *         optional configuration {@code pid}, a configuration change is a {@code modified} call (the routes are
     *         reloaded with the new properties); it references the module's {@code ModuleClient} and
     *         {@code ModuleTwin} and org.outpost.camel's {@code CamelContexts}
     */
    public static String componentXml(String module, String pid) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.4.0" name="outpost.route-module.%s"
                    immediate="true" configuration-pid="%s" configuration-policy="optional"
                    activate="activate" modified="modified" deactivate="deactivate">
                  <implementation class="%s"/>
                  <reference name="client" interface="org.outpost.api.module.ModuleClient" field="client"/>
                  <reference name="twin" interface="org.outpost.api.module.ModuleTwin" field="twin"
                      cardinality="0..1" policy="dynamic" field-option="replace"/>
                  <reference name="contexts" interface="org.outpost.camel.api.CamelContexts" field="contexts"/>
                </scr:component>
                """.formatted(module, pid, COMPONENT_CLASS);
    }
}
