# user/user.mk - build the ring-3 programs and the initramfs.
#
# Included by the top-level Makefile (paths are relative to the repo root);
# it also works by itself:  make -f user/user.mk [target]
#
#   user-programs      every program and test, static (musl-gcc), in $(USER_BUILD)/
#   initrd             $(INITRD): a newc cpio, every file owned by root:
#                        /sbin/init  /bin/{sh,ls,cat,echo,cowdemo,sleep,kill,segv,
#                                           uffd-demo,lazymem,free,vmstat,pmap,
#                                           hog,bystander,bench}
#                        /tests/<name>   (the ring-3 tests, user/tests/*.c)
#                        /tests/index    (their names, one a line: the kernel's
#                                         "user" ktest suite runs each)
#                        /extra/...      (the files of $(EXTRA), if set)
#                        /dev /tmp /proc (empty)
#   user-tests-linux   run every /tests program natively on this Linux host
#                      (proves each is a correct Linux program); KTAP-style
#                      "ok N name" / "not ok N name" lines and a summary;
#                      fails if any test fails
#   user-smoke-linux   boot-like check on Linux: init and sh in a chroot of
#                      the initramfs tree, fed a script (root or user namespaces)
#   user-clean         remove $(USER_BUILD), $(INITRD) and its staging tree
#
# Variables: USER_BUILD (build/user), INITRD (build/initrd.cpio),
# EXTRA=DIR or files (copied to /extra), USER_CC (musl-gcc), V=1 (commands).
#
# $(USER_BUILD) is laid out like the initramfs (sbin/ bin/ tests/), so the
# native runner can point the tests at it (UTEST_ROOT, see tests/utest.h).
# Needs the Debian packages musl-tools and cpio.

USER_SAVED_GOAL := $(.DEFAULT_GOAL)

USER_BUILD ?= build/user
INITRD     ?= build/initrd.cpio
EXTRA      ?=
USER_CC    ?= musl-gcc
USER_Q     := $(if $(V),,@)

# The real Linux uapi headers (<linux/...>, <asm/...>) for programs that
# need them (userfaultfd, ...): musl-gcc does not search /usr/include, so
# $(USER_BUILD)/include holds links to just those three directories.
USER_INC    := $(USER_BUILD)/include
USER_CFLAGS := -static -O2 -g -Wall -Wextra -Werror -isystem $(USER_INC)

USER_SBIN  := init
USER_BIN   := sh ls cat echo cowdemo sleep kill segv uffd-demo lazymem free vmstat pmap \
              hog bystander bench
USER_TESTS := $(sort $(notdir $(basename $(wildcard user/tests/*.c))))

USER_SBIN_OUT  := $(addprefix $(USER_BUILD)/sbin/,$(USER_SBIN))
USER_BIN_OUT   := $(addprefix $(USER_BUILD)/bin/,$(USER_BIN))
USER_TESTS_OUT := $(addprefix $(USER_BUILD)/tests/,$(USER_TESTS))
USER_ALL_OUT   := $(USER_SBIN_OUT) $(USER_BIN_OUT) $(USER_TESTS_OUT)

.PHONY: user-programs initrd user-tests-linux user-smoke-linux user-clean
user-programs: $(USER_ALL_OUT)

$(USER_INC)/.stamp:
	@mkdir -p $(USER_INC)
	$(USER_Q)ln -sfn /usr/include/linux $(USER_INC)/linux
	$(USER_Q)ln -sfn /usr/include/asm-generic $(USER_INC)/asm-generic
	$(USER_Q)ln -sfn /usr/include/$$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)/asm $(USER_INC)/asm
	@touch $@

# One source file per program. Dependency files go to $(USER_BUILD)/.dep.
define USER_PROG_RULE
$(USER_BUILD)/$(1)/%: user/$(1)/%.c | $(USER_INC)/.stamp
	@mkdir -p $$(dir $$@) $(USER_BUILD)/.dep
	@$$(if $(USER_Q),echo "  MUSLCC  $$<")
	$(USER_Q)$(USER_CC) $(USER_CFLAGS) -MMD -MP -MF $(USER_BUILD)/.dep/$(1)-$$*.d -MT $$@ $$< -o $$@
endef
$(eval $(call USER_PROG_RULE,sbin))
$(eval $(call USER_PROG_RULE,bin))
$(eval $(call USER_PROG_RULE,tests))

-include $(wildcard $(USER_BUILD)/.dep/*.d)

# The initramfs. The tree is staged afresh every time (EXTRA may have
# changed), with fixed timestamps and sorted names, and the archive is only
# replaced when its bytes change, so what depends on it rebuilds only then.
# One staging tree per archive: build/initrd.cpio is staged in build/initrd.root.
USER_STAGE = $(basename $(INITRD)).root

initrd: $(INITRD)

$(INITRD): $(USER_ALL_OUT) user/user.mk FORCE_USER_INITRD
	$(USER_Q)rm -rf $(USER_STAGE) && mkdir -p $(USER_STAGE)/sbin $(USER_STAGE)/bin \
	  $(USER_STAGE)/tests $(USER_STAGE)/dev $(USER_STAGE)/tmp $(USER_STAGE)/proc
	$(USER_Q)cp $(USER_SBIN_OUT) $(USER_STAGE)/sbin/
	$(USER_Q)cp $(USER_BIN_OUT) $(USER_STAGE)/bin/
	$(USER_Q)cp $(USER_TESTS_OUT) $(USER_STAGE)/tests/
	$(USER_Q)printf '%s\n' $(USER_TESTS) > $(USER_STAGE)/tests/index
	$(USER_Q)if [ -n "$(strip $(EXTRA))" ]; then \
	  mkdir -p $(USER_STAGE)/extra; \
	  for e in $(EXTRA); do \
	    if [ -d "$$e" ]; then cp -RL "$$e"/. $(USER_STAGE)/extra/ || exit 1; \
	    elif [ -e "$$e" ]; then cp -L "$$e" $(USER_STAGE)/extra/ || exit 1; \
	    else echo "EXTRA: $$e: no such file or directory"; exit 1; fi; \
	  done; \
	fi
	$(USER_Q)chmod 1777 $(USER_STAGE)/tmp
	$(USER_Q)find $(USER_STAGE) -exec touch -h -d @0 {} +
	@mkdir -p $(dir $@)
	$(USER_Q)cd $(USER_STAGE) && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort | \
	  cpio -o -H newc -R 0:0 --reproducible --quiet > $(abspath $@).tmp
	$(USER_Q)if cmp -s $@.tmp $@; then rm -f $@.tmp; \
	  else mv $@.tmp $@ && $(if $(USER_Q),echo "  CPIO    $@",true); fi

.PHONY: FORCE_USER_INITRD
FORCE_USER_INITRD:

user-tests-linux: $(USER_TESTS_OUT) $(USER_BIN_OUT)
	@sh user/run-tests-linux.sh $(USER_BUILD) $(USER_TESTS)

user-smoke-linux: $(INITRD)
	@sh user/smoke-linux.sh $(USER_STAGE)

user-clean:
	rm -rf $(USER_BUILD) $(INITRD) $(USER_STAGE)

# Keep the including Makefile's default goal; alone, build the programs.
ifeq ($(notdir $(firstword $(MAKEFILE_LIST))),user.mk)
.DEFAULT_GOAL := user-programs
else
.DEFAULT_GOAL := $(USER_SAVED_GOAL)
endif
