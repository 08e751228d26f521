"""In-kernel tests (ktest=all) through the PVH entry, on both PC machines."""

from harness import Failure, check_ktest_run, group, wait_ktests

KTEST_APPEND = "ktest=all panic=exit debugexit=0xf4"


def run_ktests(ctx, name, machine):
    m = ctx.boot_pvh(name, machine=machine, append=KTEST_APPEND, timeout=30)
    tests, done = wait_ktests(m)
    return m, tests, done, check_ktest_run(m, tests, done)


@group("pvh-pc")
def pvh_pc(ctx):
    """ktest=all on -machine pc: each ktest is one result, ktest/<name>."""
    m, tests, done, problems = run_ktests(ctx, "pvh-pc", "pc")
    for _, name, ok, why in tests:
        ctx.result("ktest/" + name, ok, why or "not ok", m)
    if problems:
        raise Failure("; ".join(problems))
    ctx.result("pvh-pc", True, "", m)


@group("pvh-q35")
def pvh_q35(ctx):
    """ktest=all on -machine q35: one result, failed if any ktest fails."""
    m, tests, done, problems = run_ktests(ctx, "pvh-q35", "q35")
    bad = ["%s (%s)" % (name, why) if why else name
           for _, name, ok, why in tests if not ok]
    if bad:
        problems.insert(0, "ktests not ok: " + ", ".join(bad))
    if problems:
        raise Failure("; ".join(problems))
    ctx.result("pvh-q35", True, "%d ktests" % len(tests), m)
