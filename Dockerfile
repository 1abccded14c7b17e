# Build and run Control Plane Doctor in a container (used by docker-compose.yml).
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src src
COPY frontend frontend
RUN ./mvnw -B -q -DskipTests package && cp target/control-plane-doctor-*.jar /app.jar

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 cpdoctor && mkdir /data && chown cpdoctor /data
USER cpdoctor
COPY --from=build /app.jar /app.jar
ENV CPDOCTOR_DATA_DIR=/data
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app.jar"]
