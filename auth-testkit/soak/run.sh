#!/usr/bin/env bash
# Soak run of the reference gateway: the gateway jar on PostgreSQL behind a fault-injecting proxy,
# mixed load from many tokens, slow clients throughout, one database freeze at half-time.
# Usage: auth-testkit/soak/run.sh [minutes] [more GatewaySoak options]   (default: 30 minutes)
# Not part of the test suite. Sends traffic only to 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes="${1:-30}"
shift || true
mvn -B -q -pl auth-testkit -am package -DskipTests -DskipPitest -Dbenchmarks.smoke.skip \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/soak-classpath.txt
classpath="auth-testkit/target/test-classes:auth-testkit/target/classes:$(cat auth-testkit/target/soak-classpath.txt)"
exec java -cp "$classpath" dev.authcore.testkit.soak.GatewaySoak \
  --minutes "$minutes" --jar auth-testkit/target/auth-gateway.jar "$@"
