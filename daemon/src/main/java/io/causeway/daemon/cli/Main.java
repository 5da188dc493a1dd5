package io.causeway.daemon.cli;

public final class Main {
  public static void main(String[] args) {
    System.out.println("causeway");
  }
}
