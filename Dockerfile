# syntax=docker/dockerfile:1
# leakgate with chatllm.cpp's libchatllm built from the native/chatllm.cpp submodule (portable: no
# -march=native, so the image runs on any x86-64 with AVX2, and under valgrind).
#
#   git submodule update --init native/chatllm.cpp
#   docker build --build-arg CHATLLM_COMMIT=$(git rev-parse HEAD:native/chatllm.cpp) -t leakgate .
#   docker run --rm -v /path/to/models:/models:ro -v "$PWD/results:/app/results" leakgate
#
# The models are mounted at run time, never baked in: /models/qwen3-asr-{0.6b,1.7b}-q4_0.bin.

# ---- builder: libchatllm + ggml into /src/native/build/lib -------------------------------------
# node's image is bookworm-slim plus node, which scripts/native-build.js needs (no npm packages).
FROM node:20-bookworm-slim AS builder
RUN apt-get update \
 && apt-get install -y --no-install-recommends cmake g++ make git ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY scripts/native-build.js scripts/
COPY native/chatllm.cpp native/chatllm.cpp
ARG BUILD_THREADS=4
# .git is not in the build context: the commit comes in as a build argument (recorded in BUILD_INFO.json).
ARG CHATLLM_COMMIT=
RUN test -f native/chatllm.cpp/CMakeLists.txt \
      || { echo 'native/chatllm.cpp is empty: run git submodule update --init native/chatllm.cpp before docker build' >&2; exit 2; } \
 && BUILD_THREADS="$BUILD_THREADS" CHATLLM_COMMIT="$CHATLLM_COMMIT" node scripts/native-build.js --portable

# ---- runtime -----------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS runtime
# ffmpeg: chatllm.cpp decodes audio with it. gcc + libc6-dev: npm ci builds the reference engine.
# libgomp1: ggml's CPU backend uses OpenMP.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg gcc libc6-dev libgomp1 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Dependencies first, so a source change does not reinstall them; `prepare` needs the refengine source.
COPY package.json package-lock.json ./
COPY src/refmodel/buildRefEngine.js src/refmodel/
COPY native/refengine/ native/refengine/
COPY native/crashstack/ native/crashstack/
RUN npm ci --no-audit --no-fund && npm cache clean --force
# Listed, not `COPY . .`: the chatllm.cpp source stays in the builder.
COPY bin/ bin/
COPY scripts/ scripts/
COPY src/ src/
COPY fixtures/ fixtures/
COPY baselines/ baselines/
COPY tests/ tests/
COPY tsconfig.json vitest.config.ts README.md ./
COPY --from=builder /src/native/build/lib/ native/build/lib/
ARG CHATLLM_COMMIT=
ENV CHATLLM_COMMIT=$CHATLLM_COMMIT \
    LIBCHATLLM=/app/native/build/lib/libchatllm.so
VOLUME ["/models"]
# The default job is the gate: run measures, judges and compares with baselines/ (exit 1 on a leak or a
# regression, 3 on an engine crash); mount /app/results to keep the results file.
CMD ["npx", "--no-install", "leakgate", "run", "--lib", "native/build/lib/libchatllm.so", "--model", "/models/qwen3-asr-0.6b-q4_0.bin", "--model", "/models/qwen3-asr-1.7b-q4_0.bin"]
