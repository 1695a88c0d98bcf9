package dev.authcore;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The form in which a client address is remembered: an IPv4-mapped IPv6 address as its IPv4
 * address, and no zone id, so one client is one entry whatever its spelling.
 */
final class ClientAddressNormalizer {
  private ClientAddressNormalizer() {}

  static InetAddress of(InetAddress address) {
    if (!(address instanceof Inet6Address v6)) {
      return address;
    }
    byte[] bytes = address.getAddress();
    try {
      boolean mapped = true;
      for (int i = 0; i < 10 && mapped; i++) {
        mapped = bytes[i] == 0;
      }
      if (mapped && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff) {
        return Inet4Address.getByAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
      }
      return v6.getScopeId() == 0 && v6.getScopedInterface() == null
          ? address
          : InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError("a 4- or 16-byte address is always valid", e);
    }
  }
}
