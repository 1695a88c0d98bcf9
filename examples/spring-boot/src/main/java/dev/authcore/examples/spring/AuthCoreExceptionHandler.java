package dev.authcore.examples.spring;

import dev.authcore.model.AuthCoreException;
import dev.authcore.model.ConflictException;
import dev.authcore.model.InvalidInputException;
import dev.authcore.model.LockoutException;
import dev.authcore.model.StoreUnavailableException;
import dev.authcore.net.AllowListException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The one place where auth-core's refusals become HTTP answers: each {@link AuthCoreException}
 * names its status (400 bad input, 403 not allowed, 404 not found, 409 conflict, 503 store
 * unavailable), answered as an RFC 9457 problem whose {@code detail} is the exception's message
 * (safe to show the acting user), with what a client needs to act on it: the refused {@code input},
 * the conflict's {@code kind}, an allow list's {@code problems} by line, a lock-out's {@code
 * warnings}. A store failure is logged, and answered without its cause.
 */
@RestControllerAdvice
public class AuthCoreExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(AuthCoreExceptionHandler.class);

  @ExceptionHandler(AuthCoreException.class)
  ProblemDetail refused(AuthCoreException e) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(e.httpStatus()), e.getMessage());
    if (e instanceof StoreUnavailableException) {
      log.warn("token store unavailable", e);
      problem.setDetail("the token store is unavailable; try again later");
    } else if (e instanceof InvalidInputException invalid) {
      problem.setProperty("input", invalid.input());
      if (e instanceof AllowListException list) {
        problem.setProperty("problems", list.problems());
      }
    } else if (e instanceof ConflictException conflict) {
      problem.setProperty("kind", conflict.kind());
      if (e instanceof LockoutException lockout) {
        problem.setProperty("warnings", lockout.warnings());
      }
    }
    return problem;
  }
}
