#!/usr/bin/env python3
"""A flame graph (SVG) of a JVM's CPU samples from a Java Flight Recorder recording.

Usage: python3 tools/jfr-breakdown/flamegraph.py RECORDING.jfr SKIP_SECONDS TITLE OUT.svg

Each box is a method; its width is the share of CPU samples with it on the stack; callers below,
callees above. Boxes are coloured by the component breakdown.py charges them to (JDK frames take
the colour of their caller's component), and boxes under 1 % of the samples are left out, so the
picture stays small enough to keep in the repository. breakdown.py reads stacks 64 frames deep: a
deeper one (Spring's filter chain) loses its outermost frames and so starts a column of its own.
Record as breakdown.py says.
"""
import html
import sys

from breakdown import COMPONENTS, component_of, samples

WIDTH, ROW, MIN_SHARE = 1200, 16, 0.01
PALETTE = ["#e6550d", "#fd8d3c", "#31a354", "#74c476", "#3182bd", "#6baed6", "#756bb1", "#9e9ac8",
           "#636363", "#bdbdbd", "#d6616b", "#e7969c", "#8c6d31", "#bd9e39", "#7b4173", "#ce6dbd"]
COLOURS = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(dict.fromkeys(c for _, c in COMPONENTS))}


def tree(stacks):
    root = {"n": 0, "kids": {}, "component": None}
    for frames in stacks:
        node, component = root, None
        root["n"] += 1
        for cls, method in reversed(frames):  # root first
            component = component_of(cls) or component
            key = cls.rsplit(".", 1)[-1] + "." + method
            node = node["kids"].setdefault(key, {"n": 0, "kids": {}, "component": component})
            node["n"] += 1
    return root


def boxes(node, total, x, depth, out):
    for name, kid in sorted(node["kids"].items(), key=lambda kv: -kv[1]["n"]):
        if kid["n"] / total >= MIN_SHARE:
            out.append((name, kid, x, depth))
            boxes(kid, total, x, depth + 1, out)
        x += kid["n"] / total * WIDTH
    return out


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    recording, skip, title, out_path = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
    root = tree(samples(recording, skip))
    total = root["n"]
    drawn = boxes(root, total, 0.0, 0, [])
    depth = max(d for _, _, _, d in drawn) + 1
    height = (depth + 3) * ROW + 20
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" font-family="monospace" font-size="11">',
           f'<text x="4" y="14" font-size="13">{html.escape(title)}: {total} CPU samples; width = share of samples, '
           'callers below, callees above; colour = component (legend at the bottom)</text>']
    for name, node, x, d in drawn:
        w = node["n"] / total * WIDTH
        y = height - (d + 3) * ROW
        colour = COLOURS.get(node["component"], "#dddddd")
        label = html.escape(name if len(name) * 6.5 < w - 4 else name[: max(0, int((w - 4) / 6.5) - 1)] + ("…" if w > 20 else ""))
        tip = html.escape(f"{name}: {node['n']} samples, {100 * node['n'] / total:.1f} %, {node['component'] or 'JDK'}")
        svg.append(f'<g><title>{tip}</title><rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{ROW - 1}" fill="{colour}"/>'
                   f'<text x="{x + 2:.1f}" y="{y + ROW - 4}">{label if w > 20 else ""}</text></g>')
    x = 4
    for component, colour in COLOURS.items():
        svg.append(f'<rect x="{x}" y="{height - ROW - 2}" width="10" height="10" fill="{colour}"/>'
                   f'<text x="{x + 13}" y="{height - ROW + 7}">{html.escape(component)}</text>')
        x += 13 + len(component) * 6.6 + 10
    svg.append("</svg>")
    with open(out_path, "w") as f:
        f.write("\n".join(svg) + "\n")
    print(f"{out_path}: {len(drawn)} boxes from {total} samples")


if __name__ == "__main__":
    main()
