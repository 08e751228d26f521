# The course's exercises and checkpoints (Documentation/tutorial/README.md
# says how a reader uses them; tests/exercises/run.py and checkpoints.py
# say how they work).
#
#   make exercise                 list the exercises
#   make exercise N=<n>           build what exercise n (the chapter's
#                                 number, or its file name without .md)
#                                 needs and run its check: PASS or FAIL
#   make check-exercises [N=n,..] in a scratch copy of the tree: every
#                                 check fails, every solution applies,
#                                 every check then passes (long: about a
#                                 minute an exercise, two at a time);
#                                 report in $(BUILD)/exercises/report.md
#   make check-checkpoints        build and boot every chapter's
#                                 checkpoint commit (long: a fresh build
#                                 of each); $(BUILD)/checkpoints/report.md
#
# make check runs the quick parts as the step exercises-apply: every
# chapter has a check and a solution, every solution applies to the tree,
# and every recorded checkpoint is a commit before HEAD that has its
# chapter.  EXERCISES_FIXTURES=1 runs the machinery on
# tests/exercises/fixtures/ instead of the course's exercises.

EXERCISES_RUN	:= $(PYTHON) tests/exercises/run.py --build $(BUILD) \
		   $(if $(ACCEL),--accel $(ACCEL)) \
		   $(if $(EXERCISES_FIXTURES),--fixtures)
N		?=

exercise:
	$(Q)$(EXERCISES_RUN) $(N)

check-exercises:
	$(Q)$(EXERCISES_RUN) --check-all $(if $(N),--only $(N))

check-checkpoints:
	$(Q)$(PYTHON) tests/exercises/checkpoints.py --build $(BUILD) \
		$(if $(ACCEL),--accel $(ACCEL)) --boot

# The make check step (tests/tests.mk runs it with CHECK_STEP).
exercises-apply:
	$(Q)bad=; \
	$(EXERCISES_RUN) --check-apply || bad="$$bad exercises"; \
	$(PYTHON) tests/exercises/checkpoints.py --list-check || \
		bad="$$bad checkpoints"; \
	if [ -n "$$bad" ]; then \
		echo "exercises-apply: problems with:$$bad (see above)"; \
		exit 1; \
	fi; \
	echo "exercises-apply: the exercises apply, the checkpoints exist"

CHECK_STEPS	+= exercises-apply

.PHONY: exercise check-exercises check-checkpoints exercises-apply
