# Courier in a container: a multi-stage build (the SDK publishes, the ASP.NET Core runtime runs), as a non-root
# user, with the OpenSSH client and rsync that deliveries run. The base images are build arguments:
#   docker build --build-arg SDK_IMAGE=<.NET 10 SDK image> --build-arg RUNTIME_IMAGE=<ASP.NET Core 10 runtime image> -t courier .
#   docker run -p 8080:8080 -v /etc/courier:/etc/courier:ro -v /etc/opt:/etc/opt -v courier-state:/var/lib/courier courier
ARG SDK_IMAGE
ARG RUNTIME_IMAGE

FROM ${SDK_IMAGE} AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Courier.Host -c Release -o /app -nologo

FROM ${RUNTIME_IMAGE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openssh-client rsync curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /var/lib/courier --shell /usr/sbin/nologin courier \
    && mkdir -p /etc/courier /etc/opt \
    && chown courier:courier /etc/opt /var/lib/courier
COPY --from=build /app /opt/courier
USER courier
ENV CONFIG_PATH=/etc/courier \
    Courier__HermesDirectory=/etc/opt \
    Courier__StateDirectory=/var/lib/courier \
    ASPNETCORE_URLS=http://0.0.0.0:8080 \
    DOTNET_NOLOGO=1
VOLUME ["/var/lib/courier"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["curl", "-fsS", "http://127.0.0.1:8080/health"]
ENTRYPOINT ["/opt/courier/Courier.Host"]
