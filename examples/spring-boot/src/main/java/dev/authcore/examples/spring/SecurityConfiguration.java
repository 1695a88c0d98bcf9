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
 * Two filter chains: {@code /api/**} answers only requests that auth-core lets in; everything else
 * serves the health and Prometheus endpoints to anyone (keep {@code /actuator} off the public
 * network, or move it to {@code management.server.port}) and refuses the rest.
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
        .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
        .exceptionHandling(
            handling -> handling.authenticationEntryPoint(ApiTokenFilter::unauthorized))
        // Credentials come in headers on every request: no session to keep, and no cookie that a
        // cross-site page could ride on, so no CSRF token either.
        .sessionManagement(
            sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
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
                    // Boot's error page renders failures of the API (its own chain answers 401s).
                    .dispatcherTypeMatchers(DispatcherType.ERROR)
                    .permitAll()
                    .anyRequest()
                    .denyAll())
        .csrf(csrf -> csrf.disable())
        .build();
  }
}
