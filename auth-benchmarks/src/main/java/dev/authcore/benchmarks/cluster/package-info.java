/**
 * The three-node run of the reference gateway on one PostgreSQL ({@code
 * auth-benchmarks/cluster/run}): {@link dev.authcore.benchmarks.cluster.ClusterLoad} drives the
 * load, measures how long a change made on one node takes to be enforced on the others, counts each
 * node's database statements and checks that a clean stop loses no usage.
 */
@NullMarked
package dev.authcore.benchmarks.cluster;

import org.jspecify.annotations.NullMarked;
