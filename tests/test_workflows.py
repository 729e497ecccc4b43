"""The CI files: the triggers, pinned actions, least permissions, one deploy at a time; every shell step parses."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github/workflows/publish.yml"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(data: dict):
    for name, job in data["jobs"].items():
        for step in job.get("steps", []):
            yield name, step


def test_triggers_pull_request_push_to_main_schedule_and_by_hand():
    data = workflow()
    on = data.get("on", data.get(True))  # YAML 1.1 reads a bare "on" as true
    assert set(on) == {"pull_request", "push", "schedule", "workflow_dispatch"}
    assert on["push"] == {"branches": ["main"]}
    assert [entry["cron"] for entry in on["schedule"]] == ["5 * * * *"]  # hourly
    jobs = data["jobs"]
    assert jobs["check"]["if"] == "github.event_name == 'pull_request'"
    assert jobs["build"]["if"] == "github.event_name != 'pull_request'"
    assert jobs["deploy"]["needs"] == "build" and "needs.build.outputs.deploy == 'true'" in jobs["deploy"]["if"]


def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version_named():
    text = WORKFLOW.read_text(encoding="utf-8")
    uses = [step["uses"] for _, step in steps(workflow()) if "uses" in step]
    assert uses and all(PINNED.match(use) for use in uses), uses
    for use in uses:  # a reader sees which release the SHA is
        assert re.search(re.escape(use) + r"\s+# v\d+\.\d+\.\d+", text), use
    names = {use.split("@")[0] for use in uses}
    assert {"actions/upload-pages-artifact", "actions/deploy-pages"} <= names


def test_least_permissions_and_one_deploy_at_a_time():
    data = workflow()
    assert data["permissions"] == {}
    granted = {name: job["permissions"] for name, job in data["jobs"].items()}
    assert granted == {"check": {"contents": "read"}, "build": {"contents": "read"},
                       "deploy": {"pages": "write", "id-token": "write"}}
    assert data["concurrency"]["group"].endswith("|| 'pages' }}")
    assert data["concurrency"]["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"
    for name, step in steps(data):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False, name


def test_checks_on_pull_requests_and_skips_a_deploy_of_what_is_live():
    data = workflow()
    check = " ".join(step.get("run", "") for step in data["jobs"]["check"]["steps"])
    for command in ("newsroom check --format github", "scripts/test", "scripts/build", "newsroom check-links", "actionlint"):
        assert command in check
    for name, step in steps(data):
        if step.get("uses", "").startswith("actions/setup-python@"):
            assert step["with"]["cache"] == "pip" and step["with"]["cache-dependency-path"] == "constraints.txt", name
    build = data["jobs"]["build"]["steps"]
    live = next(step for step in build if step.get("id") == "live")
    assert "newsroom.publish --mark site" in live["run"] and "/.newsroom-release" in live["run"]
    upload = next(step for step in build if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["if"] == "steps.live.outputs.deploy == 'true'"


def test_the_build_keeps_the_pictures_and_search_cache_between_runs():
    build = workflow()["jobs"]["build"]["steps"]
    cache = next(i for i, step in enumerate(build) if step.get("uses", "").startswith("actions/cache@"))
    built = next(i for i, step in enumerate(build) if "scripts/build" in step.get("run", ""))
    assert cache < built and build[cache]["with"]["path"] == ".cache"
    assert build[cache]["with"]["restore-keys"] == "newsroom-"  # a new article still finds the last build's cache
    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))["pages"]["cache"]["paths"]
    assert {".cache/pictures", ".cache/search"} <= set(gitlab)


def test_every_shell_step_parses():
    scripts = [step["run"] for _, step in steps(workflow()) if "run" in step]
    scripts += yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))["pages"]["script"]
    for script in scripts:
        plain = re.sub(r"\$\{\{.*?\}\}", "x", script)
        result = subprocess.run(["bash", "-n"], input=plain, capture_output=True, text=True)
        assert result.returncode == 0, (script, result.stderr)


def test_gitlab_pages_job_publishes_public_from_the_default_branch():
    job = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))["pages"]
    assert job["artifacts"]["paths"] == ["public"]
    assert job["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert job["cache"]["key"]["files"] == ["constraints.txt"]
    assert any("--compress" in line for line in job["script"])


@pytest.mark.skipif(shutil.which("actionlint") is None, reason="actionlint is not installed (the workflow's check job runs it)")
def test_actionlint_passes():
    result = subprocess.run(["actionlint", str(WORKFLOW)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout


def test_expressions_name_steps_jobs_and_outputs_that_exist():
    """What actionlint would say first about a renamed step: every steps.X, needs.J.outputs.O resolves."""
    data = workflow()
    for name, job in data["jobs"].items():
        text = yaml.safe_dump(job)
        ids = {step["id"] for step in job.get("steps", []) if "id" in step}
        for step_id in re.findall(r"steps\.([\w-]+)\.outputs", text):
            assert step_id in ids, (name, step_id)
        needs = job.get("needs", [])
        needs = [needs] if isinstance(needs, str) else needs
        for needed, output in re.findall(r"needs\.([\w-]+)\.outputs\.([\w-]+)", text):
            assert needed in needs and output in data["jobs"][needed]["outputs"], (name, needed, output)
        for output, value in job.get("outputs", {}).items():
            assert re.fullmatch(r"\$\{\{ steps\.[\w-]+\.outputs\.[\w-]+ \}\}", value), (name, output)


@pytest.mark.parametrize("event, live, deploys", [
    ("schedule", "same", False),        # nothing due: the live site is what this run built
    ("schedule", "other", True),        # an article's hour came
    ("push", "same", False),
    ("schedule", "", True),             # the live site could not be asked: deploy
    ("workflow_dispatch", "same", True),  # by hand: always
])
def test_the_live_step_deploys_only_what_is_not_live(tmp_path, event, live, deploys):
    """The workflow's own shell step, run with the project's Python and a stand-in for curl."""
    import sys

    from newsroom import publish

    script = next(step["run"] for _, step in steps(workflow()) if step.get("id") == "live")
    (tmp_path / "site").mkdir()
    (tmp_path / "site/index.html").write_text("<p>xin chào</p>", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_url: https://example.gov.vn/cong/\n", encoding="utf-8")
    (tmp_path / ".venv/bin").mkdir(parents=True)
    python = tmp_path / ".venv/bin/python"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    digest = publish.content_hash(tmp_path / "site")
    served = {"same": digest, "other": "0" * 64, "": ""}[live]
    tools = tmp_path / "tools"
    tools.mkdir()
    curl = tools / "curl"  # answers only the address the step must ask
    curl.write_text('#!/bin/sh\nfor a; do last=$a; done\n'
                    f'[ "$last" = "https://example.gov.vn/cong/.newsroom-release" ] || exit 22\n'
                    f'[ -n "{served}" ] || exit 6\necho "{served}"\n', encoding="utf-8")
    curl.chmod(0o755)
    output = tmp_path / "github_output"
    env = {"PATH": f"{tools}:/usr/bin:/bin", "EVENT": event, "GITHUB_OUTPUT": str(output),
           "PYTHONPATH": str(ROOT)}
    result = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert output.read_text() == f"deploy={'true' if deploys else 'false'}\n"
    assert (tmp_path / "site/.newsroom-release").read_text() == digest + "\n"
