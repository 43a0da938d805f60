"""Live news: RSS/Atom feeds (`feeds`), polite fetching (`fetch`) and the polling loop
(`watcher`) behind `amity watch`. See docs/cli.md#amity-watch."""

from amity.watch.watcher import Watcher, WatchReport, parse_interval, read_feed_list

__all__ = ["WatchReport", "Watcher", "parse_interval", "read_feed_list"]
