/**
 * The Ignite mechanism behind the public API: internal, not for users. One hub on one node is wired in
 * {@link io.processhub.ignite.HubRuntime}; its parts live in sub-packages by concern:
 * {@code membership} (who the members are, the quorum guard), {@code registry} (the cache, its one write path,
 * the local index), {@code supervision} (this node's children and their lifecycle), {@code reconcile}
 * (desired against actual, decided by a pure function, then executed), {@code transport} (node-to-node
 * requests), {@code hooks}, {@code inspection} (metrics, system views) and {@code service} (the thin-client
 * service, configuration checks). Types are public only so the sub-packages can see each other; the
 * directions between them are kept by {@code ArchitectureTest}.
 */
package io.processhub.ignite;
