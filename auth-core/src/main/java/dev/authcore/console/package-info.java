/**
 * What owners and users do in a security console: list tokens with their status, change the corp's
 * token settings (with a preview of what a change would do), grant and revoke the token permission,
 * delete tokens. Start with {@link dev.authcore.console.TokenConsole#of}.
 */
@NullMarked
package dev.authcore.console;

import org.jspecify.annotations.NullMarked;
