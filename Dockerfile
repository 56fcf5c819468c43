# One image for the api, the workers and the relay (docker-compose.yml picks the jar): built from
# source, run on a JRE.
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY . .
# The commit the workers' build id names (docker-compose.yml passes ORDERS_COMMIT from the environment;
# .dockerignore keeps .git out). Without it, a hash of the sources, as ./run names a build outside git.
ARG ORDERS_COMMIT=""
RUN commit="${ORDERS_COMMIT:-src-$(find pom.xml ./*/pom.xml ./*/src/main -type f | LC_ALL=C sort | xargs sha256sum \
      | sha256sum | cut -c1-12)}" \
 && mvn -B -q package -DskipTests -Dorders.commit="$commit"

FROM eclipse-temurin:21-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/workers/target/workers-*-exec.jar /app/workers.jar
COPY --from=build /src/api/target/api-*-exec.jar /app/api.jar
COPY --from=build /src/relay/target/relay-*-exec.jar /app/relay.jar
