// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "flamegraph.h"
#include "util/growarray.h"

#define IMAGE_WIDTH 1200
#define PAD_X 10
#define FRAME_HEIGHT 16
#define PAD_TOP 40
#define PAD_BOTTOM 30
#define CHAR_WIDTH 7.0	    /* of the 12px monospace font, for fitting labels */
#define MIN_FRAME_WIDTH 0.1 /* px: narrower frames are left out, as flamegraph.pl does */

struct node {
	const char *name; /* into the folded stack it was first seen in */
	size_t name_len;
	int parent, first_child, next_sibling;
	int depth;
	uint64_t total;
	uint64_t x; /* counts before this node at its depth */
};

struct tree {
	struct node *nodes;
	int n; /* a node's index is an int (its parent's, in struct node) */
	size_t cap;
	int max_depth;
};

static int new_node(struct tree *t, int parent, const char *name, size_t len)
{
	struct node *nd;

	if (growarray__reserve((void **)&t->nodes, (size_t)t->n, &t->cap, sizeof(*t->nodes), 256))
		return -1;
	nd = &t->nodes[t->n];
	memset(nd, 0, sizeof(*nd));
	nd->name = name;
	nd->name_len = len;
	nd->parent = parent;
	nd->first_child = -1;
	nd->next_sibling = -1;
	nd->depth = parent < 0 ? 0 : t->nodes[parent].depth + 1;
	if (nd->depth > t->max_depth)
		t->max_depth = nd->depth;
	return t->n++;
}

/* The child of @parent named @name, created (kept in name order) when missing. */
static int child_of(struct tree *t, int parent, const char *name, size_t len)
{
	int prev = -1, c = t->nodes[parent].first_child, n;

	for (; c >= 0; prev = c, c = t->nodes[c].next_sibling) {
		const struct node *nd = &t->nodes[c];
		size_t common = nd->name_len < len ? nd->name_len : len;
		int cmp = memcmp(nd->name, name, common);

		if (!cmp)
			cmp = nd->name_len < len ? -1 : nd->name_len > len;
		if (!cmp)
			return c;
		if (cmp > 0)
			break;
	}
	n = new_node(t, parent, name, len);
	if (n < 0)
		return -1;
	t->nodes[n].next_sibling = c;
	if (prev < 0)
		t->nodes[parent].first_child = n;
	else
		t->nodes[prev].next_sibling = n;
	return n;
}

static int build(struct tree *t, struct folded *f)
{
	if (new_node(t, -1, "all", 3) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < folded__size(f); i++) {
		const char *s = folded__stack(f, i);
		uint64_t count = folded__count(f, i);
		int at = 0;

		t->nodes[0].total += count;
		while (*s) {
			size_t len = strcspn(s, ";");

			at = child_of(t, at, s, len);
			if (at < 0)
				return -ENOMEM;
			t->nodes[at].total += count;
			s += len;
			if (*s == ';')
				s++;
		}
	}
	/* Parents come before their children in the array, so one pass places everything. */
	for (int i = 0; i < t->n; i++) {
		uint64_t x = t->nodes[i].x;

		for (int c = t->nodes[i].first_child; c >= 0; c = t->nodes[c].next_sibling) {
			t->nodes[c].x = x;
			x += t->nodes[c].total;
		}
	}
	return 0;
}

/* Text for XML content and attributes; characters XML 1.0 forbids become '?'. */
static void xml_text(FILE *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&apos;", out);
			break;
		default:
			fputc(c < 0x20 || c == 0x7f ? '?' : c, out);
		}
	}
}

/* Warm colours for user frames, orange for the kernel's, grey for unknown: stable per name. */
static void frame_color(const struct node *nd, char *buf, size_t len)
{
	uint32_t h = 2166136261u;
	unsigned int v;

	for (size_t i = 0; i < nd->name_len; i++)
		h = (h ^ (unsigned char)nd->name[i]) * 16777619u;
	v = h % 1000;
	if (nd->name_len >= 9 && !memcmp(nd->name, "[unknown]", 9))
		snprintf(buf, len, "rgb(190,190,190)");
	else if (nd->name_len > 4 && !memcmp(nd->name + nd->name_len - 4, "_[k]", 4))
		snprintf(buf, len, "rgb(%u,%u,%u)", 220 + v % 30, 110 + v % 70, 20 + v % 40);
	else
		snprintf(buf, len, "rgb(%u,%u,%u)", 225 + v % 30, 40 + (v / 3) % 150, 30 + v % 40);
}

static const char script[] =
	"var W=1180,X0=10,frames,details,reset;\n"
	"function init(){frames=document.querySelectorAll('g.f');"
	"details=document.getElementById('details');reset=document.getElementById('reset');}\n"
	"function fit(t,name,px){var n=Math.floor((px-6)/7);"
	"t.textContent=n<3?'':(name.length<=n?name:name.substring(0,n-2)+'..');}\n"
	"function place(g,x,w,hide){if(hide){g.style.display='none';return;}g.style.display='';"
	"var r=g.querySelector('rect'),t=g.querySelector('text');"
	"r.setAttribute('x',X0+x*W);r.setAttribute('width',Math.max(w*W-0.5,0));"
	"t.setAttribute('x',X0+x*W+3);fit(t,g.getAttribute('data-n'),w*W);}\n"
	"function attr(g,k){return parseFloat(g.getAttribute(k));}\n"
	"function zoom(z){var zx=attr(z,'data-x'),zw=attr(z,'data-w'),zd=attr(z,'data-d'),e=1e-9;"
	"frames.forEach(function(g){var x=attr(g,'data-x'),w=attr(g,'data-w'),d=attr(g,'data-d');"
	"if(d>=zd&&x>=zx-e&&x+w<=zx+zw+e)place(g,(x-zx)/zw,w/zw,false);"
	"else if(d<zd&&x<=zx+e&&x+w>=zx+zw-e)place(g,0,1,false);else place(g,0,0,true);});"
	"reset.setAttribute('visibility','visible');}\n"
	"function unzoom(){frames.forEach(function(g){"
	"place(g,attr(g,'data-x'),attr(g,'data-w'),false);});"
	"reset.setAttribute('visibility','hidden');}\n"
	"function show(g){details.textContent=g.querySelector('title').textContent;}\n"
	"function hide(){details.textContent=' ';}\n";

static void write_frame(const struct tree *t, const struct node *nd, int height, FILE *out)
{
	double total = (double)t->nodes[0].total;
	double fx = (double)nd->x / total, fw = (double)nd->total / total;
	double px = fw * (IMAGE_WIDTH - 2 * PAD_X);
	int y = height - PAD_BOTTOM - (nd->depth + 1) * FRAME_HEIGHT;
	int chars = (int)((px - 6) / CHAR_WIDTH);
	char color[32];

	frame_color(nd, color, sizeof(color));
	fprintf(out, "<g class=\"f\" data-x=\"%.9f\" data-w=\"%.9f\" data-d=\"%d\" data-n=\"", fx,
		fw, nd->depth);
	xml_text(out, nd->name, nd->name_len);
	fputs("\" onclick=\"zoom(this)\" onmouseover=\"show(this)\" onmouseout=\"hide()\"><title>",
	      out);
	xml_text(out, nd->name, nd->name_len);
	fprintf(out, " (%llu, %.2f%%)</title>", (unsigned long long)nd->total, fw * 100.0);
	fprintf(out,
		"<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\" rx=\"2\"/>"
		"<text x=\"%.2f\" y=\"%d\">",
		PAD_X + fx * (IMAGE_WIDTH - 2 * PAD_X), y, px > 0.5 ? px - 0.5 : px,
		FRAME_HEIGHT - 1, color, PAD_X + fx * (IMAGE_WIDTH - 2 * PAD_X) + 3,
		y + FRAME_HEIGHT - 4);
	if (chars >= 3) {
		if ((size_t)chars >= nd->name_len) {
			xml_text(out, nd->name, nd->name_len);
		} else {
			xml_text(out, nd->name, (size_t)chars - 2);
			fputs("..", out);
		}
	}
	fputs("</text></g>\n", out);
}

int flamegraph__write(struct folded *f, const char *title, FILE *out)
{
	struct tree t = { 0 };
	int height, r;

	folded__sort(f);
	r = build(&t, f);
	if (r) {
		free(t.nodes);
		return r;
	}
	height = PAD_TOP + (t.max_depth + 1) * FRAME_HEIGHT + PAD_BOTTOM;
	fprintf(out,
		"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
		"<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\" onload=\"init()\">\n"
		"<style>text{font-family:monospace;font-size:12px;fill:#000}"
		"g.f{cursor:pointer}g.f:hover rect{stroke:#000;stroke-width:0.5}</style>\n"
		"<script><![CDATA[\n%s]]></script>\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"#f8f8f0\"/>\n"
		"<text x=\"%d\" y=\"24\" text-anchor=\"middle\" style=\"font-size:16px\">",
		IMAGE_WIDTH, height, IMAGE_WIDTH, height, script, IMAGE_WIDTH / 2);
	xml_text(out, title, strlen(title));
	fprintf(out,
		"</text>\n<text id=\"reset\" x=\"%d\" y=\"24\" visibility=\"hidden\" "
		"style=\"cursor:pointer\" onclick=\"unzoom()\">Reset zoom</text>\n"
		"<text id=\"details\" x=\"%d\" y=\"%d\"> </text>\n<g id=\"frames\">\n",
		PAD_X, PAD_X, height - 10);
	for (int i = 0; i < t.n; i++) {
		double px = (double)t.nodes[i].total /
			    (double)(t.nodes[0].total ? t.nodes[0].total : 1) *
			    (IMAGE_WIDTH - 2 * PAD_X);

		if (t.nodes[0].total && px >= MIN_FRAME_WIDTH)
			write_frame(&t, &t.nodes[i], height, out);
	}
	fputs("</g>\n</svg>\n", out);
	free(t.nodes);
	return 0;
}
