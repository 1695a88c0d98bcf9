package dev.authcore.testkit.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 over a plain socket, for requests no HTTP client would send. */
final class RawHttp {
  private RawHttp() {}

  /** A response as read: the status (-1 if none arrived) and everything received. */
  record Answer(int status, String text) {}

  static Socket connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(
        new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port), 10_000);
    socket.setSoTimeout(20_000);
    return socket;
  }

  /** Sends {@code request} (ISO-8859-1 bytes) on a new connection and reads the answer. */
  static Answer exchange(int port, String request) throws IOException {
    try (Socket socket = connect(port)) {
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return read(socket);
    }
  }

  /** Reads one response: up to the end of the body its Content-Length gives, or to EOF. */
  static Answer read(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      while (true) {
        int n = in.read(buffer);
        if (n < 0) {
          break;
        }
        got.write(buffer, 0, n);
        if (complete(got.toString(StandardCharsets.ISO_8859_1))) {
          break;
        }
      }
    } catch (SocketTimeoutException e) {
      // answer with what arrived: a missing status says the server did not answer in time
    } catch (IOException e) {
      // a reset after a complete answer is still that answer
    }
    String text = got.toString(StandardCharsets.ISO_8859_1);
    int status = -1;
    if (text.startsWith("HTTP/1.1 ") && text.length() >= 12) {
      status = Integer.parseInt(text.substring(9, 12));
    }
    return new Answer(status, text);
  }

  private static boolean complete(String text) {
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    String head = text.substring(0, end).toLowerCase(java.util.Locale.ROOT);
    int at = head.indexOf("\r\ncontent-length:");
    if (at < 0) {
      return true;
    }
    int lineEnd = head.indexOf("\r\n", at + 2);
    String value = head.substring(at + 17, lineEnd < 0 ? head.length() : lineEnd).strip();
    return text.length() - end - 4 >= Integer.parseInt(value);
  }
}
