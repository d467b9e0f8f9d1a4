# A Flink 2.2 image (Java 17) for the InCTRL inspection job with ONNX Runtime on the CPU: the job
# jar in usrlib/ (application mode: jarURI local:///opt/flink/usrlib/inctrl-job.jar) and Flink's
# Prometheus reporter in plugins/. The model bundle is not in it: see README.md.
#
# Build context: the repository root, after `mvn -B -pl flink-job -am package -DskipTests`:
#   docker build -f deploy/image/cpu.Dockerfile -t registry.example.com/inctrl/flink-inctrl-cpu:0.1.0 .
FROM flink:2.2.1-scala_2.12-java17

# The reporter the monitoring is tested with (deploy/monitoring), in its own plugin folder.
RUN rm -rf /opt/flink/plugins/metrics-prometheus
COPY --chown=flink:flink flink-job/target/plugins/metrics-prometheus/flink-metrics-prometheus.jar /opt/flink/plugins/metrics-prometheus/flink-metrics-prometheus.jar
COPY --chown=flink:flink flink-job/target/inctrl-job.jar /opt/flink/usrlib/inctrl-job.jar

# The bundle's folder; a volume filled by the model image's init container (README.md).
RUN mkdir -p /models/inctrl && chown flink:flink /models/inctrl
