# A model bundle as an image of its own, versioned apart from the job: the FlinkDeployment's init
# container copies /bundle into every JobManager and TaskManager pod (deploy/kubernetes). The
# default is the committed tiny bundle; for the official model, export it first
# (`python3 -m inctrl_export export ...`, README) and pass its folder inside the build context.
#
#   docker build -f deploy/image/model.Dockerfile --build-arg BUNDLE=model-runtime/bundles/inctrl-tiny \
#       -t registry.example.com/inctrl/model-inctrl-tiny:1 .
FROM busybox:1.36
ARG BUNDLE=model-runtime/bundles/inctrl-tiny
COPY ${BUNDLE}/ /bundle/
