"""``newsroom``: the editors' command. Subcommands: new, import, check, build,
preview, next-change, check-links.

Every problem is one line, ``path:line: field: problem; hint``; the exit
status is 1 when any error was found, 0 otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import stat
import sys
import tempfile
import time
from pathlib import Path

from tqdm import tqdm

from . import body, clock, compress, hygiene, importer, linkcheck, output, parallel, schedule, site, sources, text
from .collection import check_posts
from .links import check_links
from .problems import ERROR, WARNING, Problem, Problems
from .reader import read_post, read_posts, shown
from .registry import unknown_term


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = _settings(args.project)
        return args.run(args, settings)
    except Problems as error:
        _report(error.problems, getattr(args, "format", "text"))
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsroom", description="Tools for the portal's editors.")
    parser.add_argument("--project", type=Path, help="the folder holding mkdocs.yml (default: found from here upwards)")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    new = commands.add_parser("new", help="start a new article (a draft) in posts/YYYY/MM/")
    new.add_argument("title")
    new.add_argument("--agency", action="append", default=[], help="an agency, by any name the registry knows (repeatable)")
    new.add_argument("--topic", action="append", default=[], help="a topic (repeatable)")
    new.add_argument("--author", action="append", default=[], help="a byline name (repeatable)")
    new.set_defaults(run=run_new)

    imp = commands.add_parser("import", help="turn raw scraped articles into posts")
    imp.add_argument("sources", nargs="+", type=Path, metavar="FILE_OR_FOLDER")
    imp.set_defaults(run=run_import)

    check = commands.add_parser("check", help="check articles and registries without building the site")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: every article)")
    check.add_argument("--format", choices=("text", "github"), default="text", help="github: GitHub Actions annotations")
    check.add_argument("--fix", action="store_true", help="apply the safe fixes: remove a BOM, delete invisible control characters, normalize to NFC")
    check.set_defaults(run=run_check)

    # Every argument after "build" goes to mkdocs: no option is this parser's ("\0" never starts one).
    build = commands.add_parser("build", prefix_chars="\0", add_help=False,
                                help="build the site into a new folder, swapped for site/ only when the build succeeds; --compress adds .gz and .br copies")
    build.add_argument("mkdocs_args", nargs="*", metavar="MKDOCS_ARGS")
    build.set_defaults(run=run_build)

    preview = commands.add_parser("preview", help="serve the site on 127.0.0.1 while you edit; a saved article shows within about a second")
    preview.add_argument("file", nargs="?", type=Path, metavar="ARTICLE", help="an article whose page to open")
    preview.add_argument("--port", type=int, default=8000, help="default: 8000")
    preview.add_argument("--no-open", action="store_true", help="print the address but open no browser")
    preview.set_defaults(run=run_preview)

    upcoming = commands.add_parser("next-change", help="when a scheduled article goes public or a published one expires next (ISO 8601, Vietnam time)")
    upcoming.set_defaults(run=run_next_change)

    links = commands.add_parser("check-links", help="every internal link and asset in the built site leads to a file (offline)")
    links.add_argument("site_dir", nargs="?", type=Path, metavar="SITE_DIR", help="the built site (default: mkdocs.yml's site_dir)")
    links.add_argument("--external", action="store_true", help="list the external addresses found (never fetched)")
    links.add_argument("--format", choices=("text", "github"), default="text", help="github: GitHub Actions annotations")
    links.set_defaults(run=run_check_links)
    return parser


def _settings(project: Path | None) -> site.Settings:
    start = (project or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        config_file = folder / "mkdocs.yml"
        if config_file.is_file():
            config = site.read_config(config_file)
            options = (config.get("extra") or {}).get("newsroom")
            return site.Settings.from_options(folder, folder / config.get("docs_dir", "docs"), options, config_file)
    raise Problems([Problem(str(start), 1, "project", "no mkdocs.yml here or in any parent folder", "run newsroom inside the portal's folder, or pass --project")])


def _site_config(settings: site.Settings) -> tuple[body.Renderer, str]:
    """The build's Markdown (extensions, embeddable hosts) and ``site_url``, from mkdocs.yml, so check applies the build's rules."""
    config = site.read_config(settings.project_dir / "mkdocs.yml")
    extensions, configs = body.extensions_from_config(config.get("markdown_extensions"))
    return body.Renderer(extensions, configs, settings.embed_hosts), str(config.get("site_url") or "")


def _report(problems: list[Problem], style: str = "text") -> None:
    for problem in sorted(problems):
        print(problem.github() if style == "github" else str(problem))


# --- new --------------------------------------------------------------------

def run_new(args: argparse.Namespace, settings: site.Settings) -> int:
    registries = site.load_registries(settings)
    problems = []
    agencies = _terms(args.agency, registries.agencies, "--agency", problems)
    topics = _terms(args.topic, registries.topics, "--topic", problems)
    if problems:
        raise Problems(problems)
    today = clock.now().date()
    slug = text.slugify(args.title)
    if not slug:
        raise Problems([Problem("newsroom new", 1, "title", "the title has no letters or digits")])
    target = settings.posts_dir / f"{today:%Y/%m}/{slug}.md"
    shown_target = shown(target, settings.project_dir)
    if target.exists():
        raise Problems([Problem(shown_target, 1, "file", "already exists and was not overwritten", "choose another title, or edit that file")])
    front = [
        "---",
        f"title: {importer.yaml_text(args.title)}",
        f"date: {today.isoformat()}",
        f"authors: {importer.yaml_list(args.author)}",
        f"agencies: {importer.yaml_list(agencies)}",
        f"topics: {importer.yaml_list(topics)}",
        "draft: true  # delete this line to publish",
        "---",
        "",
        "Viết nội dung bài ở đây.",
        "",
    ]
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as file:  # "x": never overwrite, even in a race
        file.write("\n".join(front))
    print(shown_target)
    return 0


def _terms(names: list[str], registry, option: str, problems: list[Problem]) -> list[str]:
    canonical = []
    for name in names:
        term = registry.lookup(name)
        if term is None:
            problems.append(Problem("newsroom new", 1, option, *unknown_term(registry, name)))
        else:
            canonical.append(term.name)
    return canonical


# --- import -----------------------------------------------------------------

def run_import(args: argparse.Namespace, settings: site.Settings) -> int:
    registries = site.load_registries(settings)
    files = []
    for source in args.sources:
        files += sorted(source.rglob("*.txt")) if source.is_dir() else [source]
    counts = {"imported": 0, "unchanged": 0, "failed": 0}
    for file in tqdm(files, desc="import", unit=" bài", disable=None, file=sys.stderr):
        status, problems = _import_one(file, settings, registries)
        counts[status] += 1
        if problems:
            tqdm.write("\n".join(map(str, problems)), file=sys.stdout)
    print(f"newsroom import: {counts['imported']} imported, {counts['unchanged']} already imported, {counts['failed']} failed", file=sys.stderr)
    return 1 if counts["failed"] else 0


def _import_one(file: Path, settings: site.Settings, registries) -> tuple[str, list[Problem]]:
    path = shown(file, settings.project_dir)
    try:
        source = text.decode(file.read_bytes())
        article = importer.parse(source, path, registries.agencies)
    except OSError as error:
        return "failed", [Problem(path, 1, "file", f"cannot be read: {error.strerror}")]
    except text.NotUtf8 as error:
        return "failed", [Problem(path, 1, "encoding", f"the file is not UTF-8 (it looks like {error.encoding})", "convert it to UTF-8 first")]
    except Problems as error:
        return "failed", error.problems
    target = settings.posts_dir / article.target
    shown_target = shown(target, settings.project_dir)
    notes = [
        Problem(path, 1, "agencies", f'mentions "{name}", which is not in the agency registry', "add it to the registry if articles should be listed under it", WARNING)
        for name in article.unknown_agencies
    ]
    if target.exists():
        if f"sha256:{article.digest}" in target.read_text(encoding="utf-8", errors="replace"):
            return "unchanged", []
        return "failed", [Problem(path, 1, "file", f"{shown_target} already exists and was not imported from this text; not overwritten", "give one of them another title")]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(importer.render(article, file.name), encoding="utf-8")
    return "imported", notes


# --- check ------------------------------------------------------------------

def run_check(args: argparse.Namespace, settings: site.Settings) -> int:
    started = time.perf_counter()
    site.require_posts_dir(settings)
    chosen, about_chosen = _chosen_files(args.paths, settings)
    problems = list(about_chosen)
    if args.fix:
        # The registries too (their errors point at --fix as well), unless only some files were named.
        registry_files = [] if args.paths else [settings.registries_dir / name for name in ("agencies.yml", "topics.yml")]
        for file in chosen + [file for file in registry_files if file.is_file()]:
            problems += _fix(file, settings)
    registries = site.load_registries(settings)
    renderer, site_url = _site_config(settings)
    now = clock.now()
    posts, found = read_posts(settings.posts_dir, settings.project_dir, registries, settings.docs_dir, renderer)
    problems += found
    for file in chosen:  # named files the build does not read (outside posts/, skipped names), checked on their own
        if sources.ignored_by_build(file, settings.posts_dir):
            post, found = read_post(file, shown(file, settings.project_dir), registries, settings.docs_dir, renderer)
            problems += found
            posts += [post] if post else []
    problems += check_posts(posts) + check_links(posts, now, site_url)
    problems += [problem for found in _hygiene(chosen, settings) for problem in found]
    problems = list(dict.fromkeys(problems))  # a chosen folder's walk finds what the build's walk found
    if args.paths:
        wanted = {shown(file, settings.project_dir) for file in chosen} | {p.path for p in about_chosen}
        problems = [p for p in problems if p.path in wanted]
    _report(problems, args.format)
    errors = sum(1 for p in problems if p.severity == ERROR)
    print(f"newsroom check: {len(chosen)} file(s), {errors} error(s), {len(problems) - errors} warning(s) "
          f"in {time.perf_counter() - started:.2f} s", file=sys.stderr)
    return 1 if errors else 0


def _hygiene(files: list[Path], settings: site.Settings) -> list[list[Problem]]:
    """The text checks the build does not run, file by file, in forked workers."""
    def check(file: Path) -> list[Problem]:
        try:
            data = sources.read_article_bytes(file)
        except OSError:  # the reader reports it
            return []
        return hygiene.check(shown(file, settings.project_dir), data)

    return parallel.Shared(check, files, parallel.worker_count(len(files))).results()


def _fix(file: Path, settings: site.Settings) -> list[Problem]:
    """Fixes one file in place, all or nothing; a file that cannot be written is a problem, not a stop."""
    try:
        fixed, changes = hygiene.fix(sources.read_article_bytes(file))
    except OSError:  # the reader reports it
        return []
    if not changes:
        return []
    shown_file = shown(file, settings.project_dir)
    try:
        _write_whole(file, fixed)
    except OSError as error:
        return [Problem(shown_file, 1, "file", f"cannot be fixed: {error.strerror}")]
    print(f"{shown_file}: fixed: {'; '.join(changes)}")
    return []


def _write_whole(file: Path, data: bytes) -> None:
    """``data`` as ``file``'s new content: written beside it, synced, then renamed over it.

    A full disk or a crash leaves the old article, never half of the new one.
    The name of the temporary file is hidden, so the build skips a leftover.
    """
    info = os.stat(file)
    mode = info.st_mode
    # Root passes access(); a file nobody may write is the editor's "do not touch" all the same.
    if not os.access(file, os.W_OK) or not mode & 0o222:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(file))
    fd, temporary = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), stat.S_IMODE(mode))
            with contextlib.suppress(PermissionError):  # only root may give a file to its editor again
                os.fchown(out.fileno(), info.st_uid, info.st_gid)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, file)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError):  # the rename survives a crash too; the file is already whole
        folder = os.open(file.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _chosen_files(paths: list[Path], settings: site.Settings) -> tuple[list[Path], list[Problem]]:
    """The files to check, and problems with them: folders are walked by the build's rule (sources.py)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths or [settings.posts_dir]:
        if not os.path.lexists(path):
            raise Problems([Problem(str(path), 1, "path", "no such file or folder")])
        if path.is_dir() and (not path.is_symlink() or path.samefile(settings.posts_dir)):
            found, trouble = sources.find_articles(path, shown(path, settings.project_dir))
            files += found
            problems += trouble
            continue
        shown_path = _shown_entry(path, settings)  # a link is named as itself, not as its target
        try:
            problem = sources.not_a_real_file(path, shown_path)
        except OSError as error:
            problem = Problem(shown_path, 1, "file", f"cannot be read: {error.strerror}")
        if problem:
            problems.append(problem)
            continue
        files.append(path)
        reason = sources.ignored_by_build(path, settings.posts_dir)
        if reason:
            problems.append(Problem(shown_path, 1, "file", f"the build ignores this file: {reason}",
                                    "checked only because it was named", WARNING))
    return files, problems


def _shown_entry(path: Path, settings: site.Settings) -> str:
    folder = shown(path.parent, settings.project_dir)
    return path.name if folder == "." else f"{folder}/{path.name}"


# --- build ------------------------------------------------------------------

def run_build(args: argparse.Namespace, settings: site.Settings) -> int:
    # --compress is newsroom's own: .gz and .br copies beside text files, written before the swap.
    mkdocs_args = [arg for arg in args.mkdocs_args if arg != "--compress"]
    finish = compress.compress_site if len(mkdocs_args) < len(args.mkdocs_args) else None
    return output.build(settings.project_dir, mkdocs_args, settings, finish=finish)


# --- preview ----------------------------------------------------------------

def run_preview(args: argparse.Namespace, settings: site.Settings) -> int:
    """Becomes the preview server (hooks/preview.py: it needs MkDocs, which the core never imports)."""
    hooks = site.read_config(settings.project_dir / "mkdocs.yml").get("hooks") or []
    portal = next((Path(hook) for hook in hooks if isinstance(hook, str) and Path(hook).name == "portal.py"), Path("hooks/portal.py"))
    server = settings.project_dir / portal.parent / "preview.py"  # beside the hook mkdocs.yml names
    if not server.is_file():
        raise Problems([Problem("mkdocs.yml", 1, "hooks", f"{server} is missing", "restore hooks/preview.py from the repository")])
    if not 1 <= args.port <= 65535:
        raise Problems([Problem("newsroom preview", 1, "--port", f"{args.port} is not a port (1 to 65535)")])
    argv = [sys.executable, str(server), "--config-file", str(settings.project_dir / "mkdocs.yml"), "--port", str(args.port)]
    if args.file is not None:
        argv.append(str(args.file.resolve()))
    if args.no_open:
        argv.append("--no-open")
    sys.stdout.flush()
    os.execve(sys.executable, argv, {**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return 0  # not reached


# --- next-change ----------------------------------------------------------------

def run_next_change(args: argparse.Namespace, settings: site.Settings) -> int:
    """The moment on stdout, for a scheduler; nothing on stdout when no article is due to change."""
    site.require_posts_dir(settings)
    registries = site.load_registries(settings)
    renderer, _ = _site_config(settings)
    now = clock.now()
    posts, problems = read_posts(settings.posts_dir, settings.project_dir, registries, settings.docs_dir, renderer)
    errors = [problem for problem in problems if problem.severity == ERROR]
    if errors:  # the build would stop on them: no moment is promised
        raise Problems(errors)
    moment = schedule.next_change(posts, now)
    if moment is None:
        print("newsroom next-change: no scheduled or expiring article; the site changes only when an article is edited", file=sys.stderr)
    else:
        print(schedule.shown(moment))
    return 0


# --- check-links ----------------------------------------------------------------

def run_check_links(args: argparse.Namespace, settings: site.Settings) -> int:
    _, site_url = _site_config(settings)
    site_dir = args.site_dir or output.site_dir_of(settings.project_dir / "mkdocs.yml")
    if not (site_dir / "index.html").is_file():
        raise Problems([Problem(str(site_dir), 1, "site_dir", "no built site here (no index.html)", "run newsroom build first")])
    report = linkcheck.check_site(site_dir, site_url)
    _report(report.problems, args.format)
    if args.external and report.external:
        print("\n".join(sorted(report.external)))
    print(f"newsroom check-links: {report.pages} page(s), {report.checked} internal reference(s), "
          f"{len(report.problems)} broken; {len(report.external)} external address(es), not fetched", file=sys.stderr)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
