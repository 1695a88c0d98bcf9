package dev.authcore.examples.spring;

import dev.authcore.AuthCore;
import dev.authcore.net.ClientAddressResolver;
import jakarta.servlet.DispatcherType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * Two filter chains, neither keeping a session: {@code /api/**} serves only requests that auth-core
 * lets in; everything else serves the health and Prometheus endpoints to anyone (keep {@code
 * /actuator} off the public network, or move it to {@code management.server.port}) and refuses the
 * rest.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

  @Bean
  @Order(1)
  SecurityFilterChain api(HttpSecurity http, AuthCore core, ClientAddressResolver trustedProxies) {
    return http.securityMatcher("/api/**")
        .addFilterBefore(
            new ApiTokenFilter(core.verifier(), trustedProxies),
            AnonymousAuthenticationFilter.class)
        // A backstop: the filter itself answers every request it does not let in.
        .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
        .sessionManagement(
            sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        // Credentials come in headers on every request, never in a cookie that a cross-site page
        // could make the browser send: there is nothing for a CSRF token to protect.
        .csrf(csrf -> csrf.disable())
        .build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain operations(HttpSecurity http) {
    return http.authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers(
                        "/actuator/health", "/actuator/health/**", "/actuator/prometheus")
                    .permitAll()
                    // Boot's error page, for what Spring answers with sendError (such as a request
                    // refused by Spring Security's firewall).
                    .dispatcherTypeMatchers(DispatcherType.ERROR)
                    .permitAll()
                    .anyRequest()
                    .denyAll())
        .sessionManagement(
            sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .build();
  }
}
