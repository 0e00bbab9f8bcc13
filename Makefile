# SPDX-License-Identifier: GPL-2.0-only
# The only build entry point. Outputs go to $(O) (default build/), never into the sources.
#   make            build $(O)/procscope
#   make run        install dependencies, build, run `procscope top` until Ctrl-C
#   make test       install dependencies, build, run unit, end-to-end and VM-matrix tests
#   make test-host  unit and end-to-end tests on this machine's kernel only
#   make test-fresh the README's Quick start in a fresh Debian root; the clang build
#   make test-deploy TLS with a real Prometheus, the .deb in a fresh root, the image under podman
#   make test-vm    the VM kernel matrix only (KERNELS="bullseye sid" for some)
#   make check      clang-format, clang-tidy and cppcheck
#   make bench      overhead, startup, memory and scrape cost, beside the floor and peers
#   make fuzz       each libFuzzer target in tests/fuzz for FUZZ_SECONDS (default 60)
#   make soak       the churn soak for SOAK_SECONDS (default 300)
#   make install    binary, man page, bash completion, systemd unit, audit allowlist (PREFIX,
#                   DESTDIR)
#   make deb        the Debian package, in $(O)/deb (checked with lintian)
#   make image      the container image procscope:$(VERSION), from the package (podman, offline)
#   make manifest   both architectures' images, and their manifest list procscope-multiarch:$(VERSION)
#   make V=1        show the commands; SANITIZE=address,undefined for sanitized user code
#   make ARCH=arm64 the same targets for arm64, cross-built here (outputs in build/arm64); its
#                   programs run here through qemu's user-mode emulation (tools/install-deps.sh)

# The target architecture, by the kernel's name (vmlinux/$(ARCH), __TARGET_ARCH_$(ARCH)).
ARCH ?= x86
ifeq ($(ARCH),arm64)
O ?= build/arm64
CROSS_COMPILE ?= aarch64-linux-gnu-
DEB_ARCH := arm64
# The build's own arm64 program (the man page and completion generator) runs here through qemu.
TARGET_RUN := qemu-aarch64-static
else ifeq ($(ARCH),x86)
O ?= build
CROSS_COMPILE ?=
DEB_ARCH := amd64
TARGET_RUN :=
else
$(error ARCH=$(ARCH): procscope builds for x86 and arm64)
endif
V ?= 0
SANITIZE ?=
# VM kernels: the whole matrix unless narrowed (KERNELS="bookworm sid"; CI refuses a narrowed run).
KERNELS ?=
# The one version number: --version, procscope_build_info and the Debian package say this.
VERSION := 0.2.0

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-8s %s\n' $(1) $(2)
endif

CLANG ?= clang
# The user-space compiler is chosen here, not left to make's built-in `cc` (which is clang on a
# machine with clang alone): gcc unless CC is given (`make CC=clang` builds cleanly too).
ifeq ($(origin CC),default)
CC := $(CROSS_COMPILE)gcc
endif
ifeq ($(origin CXX),default)
CXX := $(CROSS_COMPILE)g++
endif
# A cross build without its toolchain: one line that says what to install (the targets that
# install it themselves go on).
ifneq ($(CROSS_COMPILE),)
ifeq ($(filter deps-% deb image manifest clean,$(MAKECMDGOALS)),)
ifeq ($(shell command -v $(CC) 2>/dev/null),)
$(error $(CC) not found: make ARCH=$(ARCH) needs the cross toolchain (run: make deps-arm64))
endif
endif
endif
BPFTOOL ?= bpftool
PYTHON ?= /usr/bin/python3 # Debian's, which sees python3-prometheus-client

# trace_func.bpf.c is an object of its own, opened once per traced function (see its header).
FUNC_BPF_SRC := bpf/trace_func.bpf.c
# maps.bpf.c first: bpftool's linker misplaces the maps of an object that links before the one
# defining them (a relocation then points past them: "map relo failed to find map").
BPF_SRCS := bpf/maps.bpf.c $(filter-out $(FUNC_BPF_SRC) bpf/maps.bpf.c,$(wildcard bpf/*.bpf.c))
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(O)/bpf/%.bpf.o,$(BPF_SRCS))
BPF_LINKED := $(O)/procscope.bpf.o
SKEL := $(O)/procscope.skel.h
# with the path walks (global functions) after it: it defines the maps they use
FUNC_BPF_OBJ := $(O)/bpf/trace_func.bpf.o $(O)/bpf/path.bpf.o
FUNC_LINKED := $(O)/procscope_func.bpf.o
FUNC_SKEL := $(O)/procscope_func.skel.h

# Modules with no I/O of their own: unit tests link exactly these.
PURE_SRCS := user/util/numparse.c user/util/utf8.c user/util/listen_addr.c user/util/textfile.c \
	user/util/yamldoc.c user/util/sizedstream.c user/util/namelist.c \
	user/core/fsinfo.c user/core/pathfmt.c user/core/snapshot.c user/core/impact.c \
	user/core/probe_config.c \
	user/stacks/kallsyms.c user/stacks/procmaps.c user/stacks/uregs.c \
	user/audit/audit_rules.c user/audit/allowlist.c user/audit/audit_record.c user/audit/container.c \
	user/audit/listeners.c user/audit/exe_id.c user/audit/enforce_allow.c \
	user/render/json_writer.c user/render/prom.c user/render/render.c user/render/render_trace.c \
	user/render/render_top.c user/render/render_stat.c user/render/render_audit.c \
	user/render/render_impact.c \
	user/render/folded.c user/render/flamegraph.c \
	user/cli/options.c user/cli/help.c \
	user/daemon/web_config.c
USER_SRCS := $(PURE_SRCS) user/core/loader.c user/core/func_probe.c user/core/enforce.c \
	user/core/kprobe.c \
	user/stacks/usersym.c user/stacks/symbolizer.c user/stacks/unwind.c user/stacks/elfseg.c \
	user/audit/cgroup_paths.c user/audit/audit_stream.c \
	user/util/selfstat.c user/daemon/http_server.c user/daemon/privileges.c \
	user/cmd/cmd_common.c user/cmd/run_loop.c user/cmd/cmd_stat.c user/cmd/cmd_top.c user/cmd/cmd_trace.c \
	user/cmd/cmd_audit.c user/cmd/cmd_daemon.c user/cmd/cmd_impact.c \
	user/main.c
# The built-in audit allowlist, compiled in from its YAML file.
DEFAULT_ALLOWLIST := user/audit/audit-allow.yaml
DEFAULT_ALLOWLIST_C := $(O)/user/audit_default.c
USER_OBJS := $(patsubst user/%.c,$(O)/user/%.o,$(USER_SRCS)) $(O)/user/audit_default.o
PURE_OBJS := $(patsubst user/%.c,$(O)/user/%.o,$(PURE_SRCS))

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(O)/tests/%,$(UNIT_SRCS))
WORKLOAD := $(O)/tests/workload

BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror -I vmlinux/$(ARCH) -I bpf \
	-MMD -MP
# libmount's header lives in a directory of its own.
MOUNT_CFLAGS := $(shell pkg-config --cflags mount 2>/dev/null)
CFLAGS ?= -O2 -g
USER_CFLAGS := $(CFLAGS) -std=gnu11 -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes \
	-Werror -I bpf -I user -I $(O) $(MOUNT_CFLAGS) -DPROCSCOPE_VERSION='"$(VERSION)"' -MMD -MP
PURE_LDLIBS := -lyaml -lcrypt -lm
# libstdc++: __cxa_demangle, for C++ names in user stacks.
LDLIBS := -lbpf -ldw -lelf -lz -lstdc++ -lmicrohttpd -lgnutls -lsystemd -lmount -lcap -lseccomp $(PURE_LDLIBS)
ifneq ($(SANITIZE),)
USER_CFLAGS += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=$(SANITIZE)
endif


.PHONY: install uninstall deb image deps-image
.PHONY: all run test test-host test-bins deps-arm64 manifest test-fresh test-deploy test-unit test-e2e test-vm soak check clean deps-run deps-test build-tests bench \
	bench-tools fuzz fuzz-build
.DELETE_ON_ERROR:

# Written from the option table (user/cli) at build time: the man page and the bash completion.
GEN_CLI_DOCS := $(O)/tools/gen-cli-docs
MANPAGE := $(O)/procscope.8
COMPLETION := $(O)/procscope.bash

all: $(O)/procscope $(MANPAGE) $(COMPLETION)

$(O)/bpf/%.bpf.o: bpf/%.bpf.c | $(O)/bpf
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BPF_LINKED): $(BPF_OBJS)
	$(call msg,LINK-BPF,$@)
	$(Q)$(BPFTOOL) gen object $@ $(BPF_OBJS)

$(SKEL): $(BPF_LINKED)
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name procscope_bpf > $@

# Linked alone too: bpftool gen object drops the DWARF the skeleton does not need.
$(FUNC_LINKED): $(FUNC_BPF_OBJ)
	$(call msg,LINK-BPF,$@)
	$(Q)$(BPFTOOL) gen object $@ $(FUNC_BPF_OBJ)

$(FUNC_SKEL): $(FUNC_LINKED)
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name procscope_func_bpf > $@

# The objects that print the version follow it when the Makefile changes it.
$(O)/user/main.o $(O)/user/cmd/cmd_daemon.o: Makefile

# loader.c and func_probe.c own one skeleton each.
$(O)/user/core/loader.o: $(SKEL)
$(O)/user/core/func_probe.o: $(FUNC_SKEL)

$(O)/user/%.o: user/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

# A C string, one line of the file per line of source (sed escapes backslashes and quotes).
$(DEFAULT_ALLOWLIST_C): $(DEFAULT_ALLOWLIST) | $(O)/user
	$(call msg,GEN,$@)
	$(Q){ echo '/* Generated from $< by the Makefile. */'; \
	      echo 'extern const char audit_default_allowlist[];'; \
	      echo 'const char audit_default_allowlist[] ='; \
	      sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t"/' -e 's/$$/\\n"/' $<; \
	      echo ';'; } > $@

$(O)/user/audit_default.o: $(DEFAULT_ALLOWLIST_C)
	$(call msg,CC,$@)
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(O)/procscope: $(USER_OBJS)
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDFLAGS) $^ -o $@ $(LDLIBS)

$(GEN_CLI_DOCS): tools/gen-cli-docs.c $(PURE_OBJS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) $< $(PURE_OBJS) -o $@ $(LDFLAGS) $(PURE_LDLIBS)

$(MANPAGE): tools/man/procscope.8.in $(GEN_CLI_DOCS)
	$(call msg,GEN,$@)
	$(Q)$(TARGET_RUN) $(GEN_CLI_DOCS) man < $< > $@

$(COMPLETION): $(GEN_CLI_DOCS)
	$(call msg,GEN,$@)
	$(Q)$(TARGET_RUN) $(GEN_CLI_DOCS) bash-completion > $@

$(O)/tests/test_%: tests/unit/test_%.c $(PURE_OBJS) | $(O)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(USER_CFLAGS) -Wno-missing-prototypes $< $(PURE_OBJS) -o $@ $(LDFLAGS) -lcmocka $(PURE_LDLIBS)

$(WORKLOAD): tests/workload.c | $(O)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) -std=gnu11 -O2 -g -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -Wall \
		-Wextra -Werror -MMD -MP $< -o $@ -lpthread

# Programs built as distributions build them (no frame pointers), for the user-stack tests: see
# tests/unwind/unwind_target.c.
UNWIND_BINS := $(O)/tests/unwind_o2 $(O)/tests/unwind_nofp $(O)/tests/unwind_lib \
	$(O)/tests/libpsunwind.so $(O)/tests/unwind_inline
UNWIND_CFLAGS := -Wall -Wextra -Werror -I tests/unwind
$(O)/tests/unwind_o2: tests/unwind/unwind_target.c tests/unwind/unwind_lib.h | $(O)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) -std=gnu11 -O2 $(UNWIND_CFLAGS) $< -o $@
$(O)/tests/unwind_nofp: tests/unwind/unwind_target.c tests/unwind/unwind_lib.h | $(O)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) -std=gnu11 -O2 -g -fomit-frame-pointer $(UNWIND_CFLAGS) $< -o $@
$(O)/tests/libpsunwind.so: tests/unwind/unwind_lib.c tests/unwind/unwind_lib.h | $(O)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) -std=gnu11 -O2 -g -fPIC -shared $(UNWIND_CFLAGS) $< -o $@
$(O)/tests/unwind_lib: tests/unwind/unwind_target.c $(O)/tests/libpsunwind.so | $(O)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) -std=gnu11 -O2 -g -DUNWIND_LIB $(UNWIND_CFLAGS) $< -o $@ -L $(O)/tests \
		-lpsunwind -Wl,-rpath,'$$ORIGIN'
$(O)/tests/unwind_inline: tests/unwind/unwind_inline.cc | $(O)/tests
	$(call msg,CXX,$@)
	$(Q)$(CXX) -std=gnu++17 -O2 -g $(UNWIND_CFLAGS) $< -o $@

# libFuzzer targets (tests/fuzz), built with clang and linked with the pure modules.
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(O)/fuzz/%,$(FUZZ_SRCS))
FUZZ_SECONDS ?= 60
$(O)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(PURE_SRCS) | $(O)/fuzz
	$(call msg,FUZZ-CC,$@)
	$(Q)$(CLANG) -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -I bpf -I user $< $(PURE_SRCS) -o $@ $(PURE_LDLIBS)

fuzz-build: $(FUZZ_BINS)

# make fuzz: each target for FUZZ_SECONDS (make test runs each for a few seconds).
fuzz: $(FUZZ_BINS)
	$(Q)$(PYTHON) tests/run.py --build $(O) --fuzz $(FUZZ_SECONDS)

# The benchmark (tools/bench): the load generator and the floor's empty programs.
BENCHLOAD := $(O)/bench/benchload
FLOOR := $(O)/bench/floor
PROGCOST := $(O)/bench/progcost
$(BENCHLOAD): tools/bench/benchload.c | $(O)/bench
	$(call msg,CC,$@)
	$(Q)$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -MMD -MP $< -o $@ -lpthread

$(O)/bench/floor.bpf.o: tools/bench/floor.bpf.c | $(O)/bench
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(O)/bench/floor.skel.h: $(O)/bench/floor.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name floor_bpf > $@

$(FLOOR): tools/bench/floor.c $(O)/bench/floor.skel.h
	$(call msg,CC,$@)
	$(Q)$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -I $(O)/bench -MMD -MP $< -o $@ -lbpf -lelf -lz

$(PROGCOST): tools/bench/progcost.c | $(O)/bench
	$(call msg,CC,$@)
	$(Q)$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -MMD -MP $< -o $@ -lbpf

bench-tools: $(BENCHLOAD) $(FLOOR) $(PROGCOST)

# make bench: the full benchmark (minutes); BENCH_ARGS="--quick" for a smoke run.
bench: deps-test all bench-tools
	$(Q)$(PYTHON) tools/bench/bench.py --build $(O) $(BENCH_ARGS)

$(O)/bpf $(O)/user $(O)/tests $(O)/bench $(O)/fuzz:
	$(Q)mkdir -p $@

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
SYSCONFDIR ?= /etc
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions

install: all
	$(Q)install -D -m 0755 $(O)/procscope $(DESTDIR)$(SBINDIR)/procscope
	$(Q)install -D -m 0644 $(MANPAGE) $(DESTDIR)$(MANDIR)/man8/procscope.8
	$(Q)install -D -m 0644 $(COMPLETION) $(DESTDIR)$(COMPLETIONDIR)/procscope
	$(Q)mkdir -p $(DESTDIR)$(SYSTEMDUNITDIR)
	$(Q)sed 's|@SBINDIR@|$(SBINDIR)|' tools/deploy/procscope.service \
		> $(DESTDIR)$(SYSTEMDUNITDIR)/procscope.service
	$(Q)chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/procscope.service
	$(Q)install -D -m 0644 $(DEFAULT_ALLOWLIST) $(DESTDIR)$(SYSCONFDIR)/procscope/audit-allow.yaml

uninstall:
	$(Q)rm -f $(DESTDIR)$(SBINDIR)/procscope $(DESTDIR)$(MANDIR)/man8/procscope.8 \
		$(DESTDIR)$(COMPLETIONDIR)/procscope \
		$(DESTDIR)$(SYSTEMDUNITDIR)/procscope.service \
		$(DESTDIR)$(SYSCONFDIR)/procscope/audit-allow.yaml

# Tiers: what building and running needs; what packaging adds; what the tests and the
# benchmark add (tools/install-deps.sh says which packages).
deps-run:
	$(Q)tools/install-deps.sh run

deps-image:
	$(Q)tools/install-deps.sh image

deps-test:
	$(Q)tools/install-deps.sh test

deps-arm64:
	$(Q)tools/install-deps.sh arm64

# make deb: $(O)/deb/procscope_$(VERSION)_<arch>.deb, built by dpkg-buildpackage and debhelper in
# a copy of the checkout with tools/debian as its debian/ folder; the changelog entry is made
# from VERSION, and Build-Depends from tools/install-deps.sh.
DEB_DIR := $(O)/deb
DEB_SRC := $(DEB_DIR)/procscope-$(VERSION)
DEB := $(DEB_DIR)/procscope_$(VERSION)_$(DEB_ARCH).deb
deb: deps-image $(if $(filter arm64,$(ARCH)),deps-arm64)
	$(call msg,DEB,$(DEB))
	$(Q)rm -rf $(DEB_SRC) && mkdir -p $(DEB_SRC)
	$(Q)git ls-files -z --cached --others --exclude-standard | \
		tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -C $(DEB_SRC) -xf -
	$(Q)cp -r tools/debian $(DEB_SRC)/debian
	$(Q)sed -i 's/@BUILD_DEPENDS@/$(shell tools/install-deps.sh --list build)/' \
		$(DEB_SRC)/debian/control
	$(Q)printf 'procscope (%s) unstable; urgency=medium\n\n  * Release %s.\n\n -- %s  %s\n' \
		'$(VERSION)' '$(VERSION)' '$(shell sed -n 's/^Maintainer: //p' tools/debian/control)' \
		"$$(date -R -d @$$(git log -1 --format=%ct 2>/dev/null || date +%s))" \
		> $(DEB_SRC)/debian/changelog
	$(Q)cd $(DEB_SRC) && dpkg-buildpackage -b -us -uc --host-arch=$(DEB_ARCH) \
		$(if $(filter 1,$(V)),,>../build.log 2>&1) \
		|| { tail -40 ../build.log 2>/dev/null; exit 1; }
	$(Q)lintian --allow-root --fail-on error $(DEB)

# make image: procscope:$(VERSION) (and :latest) in podman's local store, from the package;
# make image ARCH=arm64: procscope:$(VERSION)-arm64. make manifest: both, and the manifest list
# procscope-multiarch:$(VERSION) holding them, which a registry serves to either kind of node:
# podman manifest push --all localhost/procscope-multiarch:$(VERSION) docker://REGISTRY/procscope:$(VERSION)
IMAGE_NAME := localhost/procscope
IMAGE ?= $(IMAGE_NAME):$(VERSION)$(if $(filter arm64,$(ARCH)),-arm64)
MANIFEST := localhost/procscope-multiarch:$(VERSION)
PODMAN := CONTAINERS_CONF=tools/deploy/containers.conf podman
image: deb
	$(call msg,IMAGE,$(IMAGE))
	$(Q)tools/build-image.sh $(DEB) $(IMAGE) $(O)/image
	$(Q)$(if $(filter x86,$(ARCH)),$(PODMAN) tag $(IMAGE) $(IMAGE_NAME):latest)

manifest:
	$(Q)$(MAKE) --no-print-directory image
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 O=$(ARM64_O) image
	$(call msg,MANIFEST,$(MANIFEST))
	$(Q)$(PODMAN) manifest rm $(MANIFEST) >/dev/null 2>&1 || true
	$(Q)$(PODMAN) manifest create $(MANIFEST) >/dev/null
	$(Q)$(PODMAN) manifest add $(MANIFEST) containers-storage:$(IMAGE_NAME):$(VERSION) >/dev/null
	$(Q)$(PODMAN) manifest add $(MANIFEST) containers-storage:$(IMAGE_NAME):$(VERSION)-arm64 >/dev/null

run: deps-run
	$(Q)$(MAKE) -s --no-print-directory all
	$(O)/procscope top

# The unit tests run three times: as built, under ASan and UBSan (in $(O)/sanitized), and built
# for arm64 (in $(O)/arm64, which the arm64 VM guests take too).
SANITIZED := $(O)/sanitized
ARM64_O := $(O)/arm64
test-bins: all $(UNIT_BINS) $(WORKLOAD) $(UNWIND_BINS)
build-tests:
	$(Q)$(MAKE) --no-print-directory all $(UNIT_BINS) $(WORKLOAD) $(UNWIND_BINS) bench-tools fuzz-build
	$(Q)$(MAKE) --no-print-directory O=$(SANITIZED) SANITIZE=address,undefined \
		$(patsubst $(O)/%,$(SANITIZED)/%,$(UNIT_BINS))
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 O=$(ARM64_O) test-bins

TEST_ARGS := --meta --source --unit --sanitized $(SANITIZED) --unit-arm64 $(ARM64_O) --fuzz 5 --fresh \
	--e2e --deploy --soak 15 --bench --vm
test: deps-test
	$(Q)$(MAKE) --no-print-directory build-tests
	$(Q)$(PYTHON) tests/run.py --build $(O) $(TEST_ARGS) $(if $(KERNELS),--kernels "$(KERNELS)")

test-host: deps-test
	$(Q)$(MAKE) --no-print-directory build-tests
	$(Q)$(PYTHON) tests/run.py --build $(O) --meta --source --unit --sanitized $(SANITIZED) \
		--unit-arm64 $(ARM64_O) --fuzz 5 --e2e --deploy --soak 15 --bench

# The churn soak for SOAK_SECONDS (make test runs it for 15 s).
SOAK_SECONDS ?= 300
soak: all $(WORKLOAD) $(UNWIND_BINS)
	$(Q)$(PYTHON) tests/run.py --build $(O) --soak $(SOAK_SECONDS)

# The README's Quick start in a fresh Debian root, and the clang build (part of make test).
test-fresh: deps-test
	$(Q)$(PYTHON) tests/run.py --build $(O) --fresh

# TLS, the package and the image (part of make test).
test-deploy: deps-test all $(WORKLOAD)
	$(Q)$(PYTHON) tests/run.py --build $(O) --deploy

test-unit: $(UNIT_BINS)
	$(Q)$(PYTHON) tests/run.py --build $(O) --meta --source --unit

test-e2e: all $(WORKLOAD) $(UNWIND_BINS)
	$(Q)$(PYTHON) tests/run.py --build $(O) --e2e

test-vm: all $(WORKLOAD) $(UNWIND_BINS)
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 O=$(ARM64_O) test-bins
	$(Q)$(PYTHON) tests/run.py --build $(O) --vm $(if $(KERNELS),--kernels "$(KERNELS)")

TIDY_CHECKS := -*,clang-analyzer-*,bugprone-*,-bugprone-easily-swappable-parameters,\
	-bugprone-reserved-identifier,-bugprone-narrowing-conversions,\
	-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling

# The generated skeletons are bpftool's code: diagnostics are limited to our own headers, and the
# analyzer's leak check, which flags the skeletons' own error path, is off for their two users.
SKEL_USERS := user/core/loader.c user/core/func_probe.c
check: $(SKEL) $(FUNC_SKEL)
	$(call msg,CHECK,clang-format)
	$(Q)clang-format --dry-run --Werror bpf/*.c bpf/*.h user/*.c user/*/*.c user/*/*.h tests/unit/*.c tests/*.c \
		tests/fuzz/*.c tools/bench/*.c tools/*.c
	$(call msg,CHECK,clang-tidy)
	$(Q)clang-tidy --quiet --checks='$(TIDY_CHECKS)' --warnings-as-errors='*' \
		--header-filter='^(user|bpf)/' $(filter-out $(SKEL_USERS),$(USER_SRCS)) \
		-- -std=gnu11 -I bpf -I user -I $(O) $(MOUNT_CFLAGS) -DPROCSCOPE_VERSION='"check"' 2>/dev/null
	$(Q)clang-tidy --quiet --checks='$(TIDY_CHECKS),-clang-analyzer-unix.Malloc' \
		--warnings-as-errors='*' --header-filter='^(user|bpf)/' $(SKEL_USERS) \
		-- -std=gnu11 -I bpf -I user -I $(O) $(MOUNT_CFLAGS) -DPROCSCOPE_VERSION='"check"' 2>/dev/null
	$(call msg,CHECK,layers)
	$(Q)$(PYTHON) tests/source_checks.py
	$(call msg,CHECK,cppcheck)
	$(Q)cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
		--suppress=missingIncludeSystem --suppress=unknownMacro -I bpf -I user user/

clean:
	$(Q)rm -rf $(O)

-include $(wildcard $(O)/bpf/*.d $(O)/user/*.d $(O)/user/*/*.d $(O)/tests/*.d $(O)/bench/*.d)
