/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.adapter.opcua.simulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * The simulator's address space: a folder {@code Simulator} under Objects holding one variable per {@link SimulatedTag},
 * with string node ids ({@code ns=<index>;s=Temperature}; the index is 2 on a fresh server). Values are set by
 * {@link #update}; subscriptions sample them through Milo's {@link SubscriptionModel}.
 */
final class SimulatorNamespace extends ManagedNamespaceWithLifecycle {

    static final String NAMESPACE_URI = "urn:outpost:opcua:simulator:tags";

    private final SubscriptionModel subscriptionModel;
    private final Map<SimulatedTag, UaVariableNode> nodes = new LinkedHashMap<>();

    SimulatorNamespace(OpcUaServer server) {
        super(server, NAMESPACE_URI);
        subscriptionModel = new SubscriptionModel(server, this);
        getLifecycleManager().addLifecycle(subscriptionModel);
        getLifecycleManager().addStartupTask(this::addNodes);
    }

    private void addNodes() {
        UaFolderNode folder = new UaFolderNode(getNodeContext(), newNodeId("Simulator"),
                newQualifiedName("Simulator"), LocalizedText.english("Simulator"));
        getNodeManager().addNode(folder);
        folder.addReference(new Reference(folder.getNodeId(), NodeIds.Organizes, NodeIds.ObjectsFolder.expanded(),
                false));
        for (SimulatedTag tag : SimulatedTag.values()) {
            UaVariableNode node = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                    .setNodeId(newNodeId(tag.tagName()))
                    .setAccessLevel(AccessLevel.READ_ONLY)
                    .setUserAccessLevel(AccessLevel.READ_ONLY)
                    .setBrowseName(newQualifiedName(tag.tagName()))
                    .setDisplayName(LocalizedText.english(tag.tagName()))
                    .setDataType(tag.dataType())
                    .setTypeDefinition(NodeIds.BaseDataVariableType)
                    .build();
            node.setValue(new DataValue(new Variant(tag.valueAt(0, 0))));
            getNodeManager().addNode(node);
            folder.addOrganizes(node);
            nodes.put(tag, node);
        }
    }

    /** The node id of a tag in this namespace. */
    NodeId nodeId(SimulatedTag tag) {
        return newNodeId(tag.tagName());
    }

    /** Sets every tag's value for the given tick, stamped with the current time as source and server timestamp. */
    void update(long tick, double seconds) {
        DateTime now = DateTime.now();
        nodes.forEach((tag, node) -> node.setValue(
                new DataValue(new Variant(tag.valueAt(tick, seconds)), StatusCode.GOOD, now, now)));
    }

    /** The current value of a tag, as its Java object (Double, Long...). */
    Object value(SimulatedTag tag) {
        UaVariableNode node = nodes.get(tag);
        return node == null ? null : node.getValue().getValue().getValue();
    }

    @Override
    public void onDataItemsCreated(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsCreated(dataItems);
    }

    @Override
    public void onDataItemsModified(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsModified(dataItems);
    }

    @Override
    public void onDataItemsDeleted(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsDeleted(dataItems);
    }

    @Override
    public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
        subscriptionModel.onMonitoringModeChanged(monitoredItems);
    }
}
