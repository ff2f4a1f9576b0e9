"""The extra view some examples bring: the Berkeley rates and the common-cause proof."""

from __future__ import annotations

from gmmviz.labs.graphs.core.examples import berkeley


def simpson_html() -> str:
    """Per-school and pooled admission rates, men vs women, from the same counts."""
    b = berkeley()
    rates, pooled, n = b.rates(), b.pooled(), b.counts.sum(axis=2)
    rows = "".join(
        f"<tr><td>{d}</td><td align=right>{100 * rates[0, j]:.0f} %</td><td align=right>{int(n[0, j])}</td>"
        f"<td align=right>{100 * rates[1, j]:.0f} %</td><td align=right>{int(n[1, j])}</td></tr>"
        for j, d in enumerate(b.depts))
    total = b.counts.sum(axis=(1, 2))
    return ("<table cellspacing=0 cellpadding=2><tr><th>school</th><th>men admitted</th><th>applied</th>"
            "<th>women admitted</th><th>applied</th></tr>" + rows +
            f"<tr><td><b>pooled</b></td><td align=right><b>{100 * pooled[0]:.1f} %</b></td>"
            f"<td align=right>{int(total[0])}</td><td align=right><b>{100 * pooled[1]:.1f} %</b></td>"
            f"<td align=right>{int(total[1])}</td></tr></table>"
            "Per school women do about as well or better; pooled, men far better: women applied more to "
            "the schools that admit few (z → s → a). The slide's 'Average' row (50 vs 27) is not the pooled "
            "rate of these counts; these are the counts' own rates.")


def traffic_html() -> str:
    return ("John's arrival J and Jane's N given the traffic T:<br>"
            "&nbsp;&nbsp;P(J, N | T) = P(J, N, T) / P(T)<br>"
            "&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;"
            "&nbsp;&nbsp;= P(T) P(J | T) P(N | T) / P(T)<br>"
            "&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;"
            "&nbsp;&nbsp;= P(J | T) P(N | T)")


DETAILS = {"simpson": simpson_html, "traffic": traffic_html}
