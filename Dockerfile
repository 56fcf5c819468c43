# One image for both processes (docker-compose.yml picks the jar): built from source, run on a JRE.
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:21-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/workers/target/workers-*-exec.jar /app/workers.jar
COPY --from=build /src/api/target/api-*-exec.jar /app/api.jar
