"""Analyses over the registry (read-only): what the news knows that the references do not,
coming anniversaries, the network of relations, a feed of events.

    reconcile      reconcile(session, against): new, known, ended, year conflicts,
                   one-sided and doubtful reference rows, claimed vs known counts;
                   reconcile_counts(session): the size of each (amity stats)
    anniversaries  anniversaries(session, start, days, round_to): round anniversaries due
    network        network(session): hubs, decades, communities; suggest_partners(...)
    events         latest_events(session, filters): the events feed (Atom, JSON Feed)
"""
