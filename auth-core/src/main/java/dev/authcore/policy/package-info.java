/**
 * Corp-wide policies: who may use tokens, for how long, and from which IP addresses.
 *
 * <p>The IP part: {@link dev.authcore.policy.IpAllowList} (an owner's allow list, parsed strictly
 * and matched without allocation on the request path), {@link dev.authcore.policy.ClientAddresses}
 * (client addresses given as text, parsed as strictly as the list) and {@link
 * dev.authcore.policy.ClientAddressResolver} (the client behind trusted proxies). Matching
 * structures and parsers are package-private.
 */
@NullMarked
package dev.authcore.policy;

import org.jspecify.annotations.NullMarked;
