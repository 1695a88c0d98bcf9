/**
 * Client addresses: strict IP allow lists ({@link dev.authcore.net.IpAllowList}), parsing and
 * writing the address a server reports for its peer ({@link dev.authcore.net.ClientAddresses}), and
 * finding the client behind trusted proxies ({@link dev.authcore.net.ClientAddressResolver}).
 *
 * <p>Text is parsed strictly once, when a list or resolver is built; the request path only looks
 * addresses up. Allow-list entries are read by the seancfoley IPAddress library under strict
 * parameters; the per-request address text (a peer, a forwarded header) by this package's own
 * reader, which is faster and held to the same answers by a differential test. No IPAddress type
 * appears in this package's public API.
 */
@NullMarked
package dev.authcore.net;

import org.jspecify.annotations.NullMarked;
