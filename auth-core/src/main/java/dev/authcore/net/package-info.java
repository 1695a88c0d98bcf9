/**
 * Client addresses: strict IP allow lists ({@link dev.authcore.net.IpAllowList}), parsing of the
 * address a server reports for its peer ({@link dev.authcore.net.ClientAddresses}), and finding the
 * client behind trusted proxies ({@link dev.authcore.net.ClientAddressResolver}).
 *
 * <p>Text is parsed strictly once, when a list or resolver is built; the request path only looks
 * addresses up.
 */
@NullMarked
package dev.authcore.net;

import org.jspecify.annotations.NullMarked;
