/**
 * Corp-wide token policy: expiry ({@link dev.authcore.policy.ExpiryPolicy}), restriction to
 * permitted users and IP allow lists ({@link dev.authcore.policy.TokenSettings}, {@link
 * dev.authcore.policy.IpAllowList}), and client address handling for gateways.
 *
 * <p>Everything here is an immutable value, parsed and validated when it is built, so the request
 * path only evaluates.
 */
@NullMarked
package dev.authcore.policy;

import org.jspecify.annotations.NullMarked;
