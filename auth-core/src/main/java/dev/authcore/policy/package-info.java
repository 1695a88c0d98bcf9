/**
 * Corp-wide token policy: expiry ({@link dev.authcore.policy.ExpiryPolicy}) and the notices sent as
 * it nears ({@link dev.authcore.policy.ExpiryNotice}), restriction to permitted users, and the IP
 * allow list in force ({@link dev.authcore.policy.TokenSettings}).
 *
 * <p>Everything here is an immutable value, parsed and validated when it is built, so the request
 * path only evaluates.
 */
@NullMarked
package dev.authcore.policy;

import org.jspecify.annotations.NullMarked;
