package dev.authcore.store;

import dev.authcore.model.UserAccount;
import dev.authcore.spi.UserDirectory;
import dev.authcore.testkit.contract.UserDirectoryContract;
import java.util.List;

/** The in-memory directory meets the directory contract. */
class InMemoryUserDirectoryContractTest extends UserDirectoryContract {
  @Override
  protected UserDirectory newDirectory(List<UserAccount> users) {
    InMemoryUserDirectory directory = new InMemoryUserDirectory();
    users.forEach(directory::add);
    return directory;
  }
}
