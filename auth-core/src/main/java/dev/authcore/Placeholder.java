package dev.authcore;

final class Placeholder {
  private Placeholder() {}
}
