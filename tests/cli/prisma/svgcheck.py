#!/usr/bin/env python3
"""Check a winnow-prisma SVG: by geometry, and on a browser's screenshot of it.

  svgcheck.py geometry DIAGRAM.svg [FONT.ttf BOLD.ttf]
      every text line fits its box, measured with the real metrics of the font a
      browser on this machine falls back to (DejaVu Sans), not winnow's own table;
      the diagram is readable across A4 (body text >= 6 pt at 180 mm wide).
  svgcheck.py pixels DIAGRAM.svg SCREENSHOT.png
      the PNG (decoded here with zlib) is not blank; every box has its border where
      the SVG says and text inside it; the strips just inside each box's left and
      right borders are the box's own fill (no text ran over), and so is the strip just
      outside its right border (apart from the arrow leaving it).
Exit status 0 when everything holds; every failure is printed.
"""
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

NS = '{http://www.w3.org/2000/svg}'
failures = []


def fail(msg):
    failures.append(msg)
    print('FAIL: ' + msg)


# ---- fonts: advance widths from a TrueType file (cmap format 4 + hmtx) ----

def load_font(path):
    d = open(path, 'rb').read()
    num = struct.unpack('>H', d[4:6])[0]
    tabs = {}
    for i in range(num):
        tag, _, off, ln = struct.unpack('>4sIII', d[12 + 16 * i:28 + 16 * i])
        tabs[tag.decode()] = (off, ln)
    upem = struct.unpack('>H', d[tabs['head'][0] + 18:tabs['head'][0] + 20])[0]
    nhm = struct.unpack('>H', d[tabs['hhea'][0] + 34:tabs['hhea'][0] + 36])[0]
    ho = tabs['hmtx'][0]
    adv = [struct.unpack('>H', d[ho + 4 * i:ho + 4 * i + 2])[0] for i in range(nhm)]
    co = tabs['cmap'][0]
    n = struct.unpack('>H', d[co + 2:co + 4])[0]
    cmap = {}
    for i in range(n):
        pid, eid, off = struct.unpack('>HHI', d[co + 4 + 8 * i:co + 12 + 8 * i])
        so = co + off
        if struct.unpack('>H', d[so:so + 2])[0] != 4 or pid != 3 or eid != 1:
            continue
        segx2 = struct.unpack('>H', d[so + 6:so + 8])[0]
        seg = segx2 // 2
        ends = struct.unpack('>%dH' % seg, d[so + 14:so + 14 + segx2])
        starts = struct.unpack('>%dH' % seg, d[so + 16 + segx2:so + 16 + 2 * segx2])
        deltas = struct.unpack('>%dh' % seg, d[so + 16 + 2 * segx2:so + 16 + 3 * segx2])
        rpos = so + 16 + 3 * segx2
        roffs = struct.unpack('>%dH' % seg, d[rpos:rpos + segx2])
        for s in range(seg):
            for c in range(starts[s], ends[s] + 1):
                if c == 0xFFFF:
                    continue
                if roffs[s] == 0:
                    g = (c + deltas[s]) & 0xFFFF
                else:
                    a = rpos + 2 * s + roffs[s] + 2 * (c - starts[s])
                    g = struct.unpack('>H', d[a:a + 2])[0]
                    if g:
                        g = (g + deltas[s]) & 0xFFFF
                cmap[c] = g

    def width(text, size):
        return sum(adv[min(cmap.get(ord(ch), 0), nhm - 1)] for ch in text) * size / upem
    return width


def boxes(root):
    out = []
    for g in root.iter(NS + 'g'):
        cls = g.get('class')
        if cls not in ('box', 'label'):
            continue
        r = g.find(NS + 'rect')
        rect = tuple(float(r.get(k)) for k in ('x', 'y', 'width', 'height'))
        texts = []
        for t in g.findall(NS + 'text'):
            texts.append({'x': float(t.get('x')), 'y': float(t.get('y')),
                          'anchor': t.get('text-anchor', 'start'),
                          'bold': t.get('font-weight') == 'bold',
                          'rotated': t.get('transform') is not None,
                          'text': t.text or ''})
        out.append({'id': g.get('id'), 'cls': cls, 'rect': rect, 'fill': r.get('fill'),
                    'texts': texts})
    return out


def geometry(svg, regular, bold):
    root = ET.parse(svg).getroot()
    size = float(root.get('font-size'))
    width = float(root.get('width'))
    wr, wb = load_font(regular), load_font(bold)
    pt = size * 180.0 / width / 25.4 * 72
    if pt < 6.0:
        fail('%s: body text is %.2f pt when printed 180 mm wide (A4), under 6 pt' % (svg, pt))
    n = 0
    for b in boxes(root):
        x, y, w, h = b['rect']
        for t in b['texts']:
            n += 1
            tw = (wb if t['bold'] else wr)(t['text'], size)
            if t['rotated']:
                if tw > h - 4:
                    fail('%s: label "%s" is %.1f px long, its box %.1f px tall' % (b['id'], t['text'], tw, h))
                continue
            left = t['x'] - tw / 2 if t['anchor'] == 'middle' else t['x']
            right = left + tw
            if left < x + 2 or right > x + w - 2:
                fail('%s: "%s" spans x %.1f..%.1f, box %.1f..%.1f' % (b['id'], t['text'], left, right, x, x + w))
            top, bottom = t['y'] - 0.93 * size, t['y'] + 0.24 * size
            if top < y + 1 or bottom > y + h - 1:
                fail('%s: "%s" spans y %.1f..%.1f, box %.1f..%.1f' % (b['id'], t['text'], top, bottom, y, y + h))
    for t in root.iter(NS + 'text'):
        if t.get('class') == 'provenance':
            n += 1
            fs = float(t.get('font-size'))
            tw = wr(t.text or '', fs)
            if float(t.get('x')) + tw > width - 2:
                fail('provenance line "%s" runs off the diagram' % t.text)
    if n < 10:
        fail('%s: only %d text lines found' % (svg, n))
    return n


# ---- PNG ----

def read_png(path):
    d = open(path, 'rb').read()
    assert d[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
    pos, idat, w = 8, b'', None
    while pos < len(d):
        ln, typ = struct.unpack('>I4s', d[pos:pos + 8])
        body = d[pos + 8:pos + 8 + ln]
        if typ == b'IHDR':
            w, h, depth, ctype, _, _, interlace = struct.unpack('>IIBBBBB', body)
            assert depth == 8 and ctype in (2, 6) and interlace == 0, 'unexpected PNG type'
            bpp = 3 if ctype == 2 else 4
        elif typ == b'IDAT':
            idat += body
        pos += 12 + ln
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for r in range(h):
        f = raw[r * (stride + 1)]
        line = bytearray(raw[r * (stride + 1) + 1:(r + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line

    def px(x, y):
        x, y = int(x), int(y)
        if x < 0 or y < 0 or x >= w or y >= h:
            return (255, 255, 255)
        o = x * bpp
        return tuple(rows[y][o:o + 3])
    return w, h, px


def hexrgb(s):
    return tuple(int(s[i:i + 2], 16) for i in (1, 3, 5))


def pixels(svg, png):
    root = ET.parse(svg).getroot()
    w, h, px = read_png(png)
    if (w, h) != (int(float(root.get('width'))), int(float(root.get('height')))):
        fail('screenshot is %dx%d, the SVG %sx%s' % (w, h, root.get('width'), root.get('height')))
    nonwhite = sum(1 for y in range(0, h, 3) for x in range(0, w, 3) if sum(px(x, y)) < 700)
    if nonwhite < (w // 3) * (h // 3) * 0.03:
        fail('the screenshot is (nearly) blank: %d sampled pixels drawn' % nonwhite)
    def lum(c):
        return (c[0] * 299 + c[1] * 587 + c[2] * 114) / 1000
    checked = 0
    for b in boxes(root):
        x, y, bw, bh = b['rect']
        fill = hexrgb(b['fill'])
        # borders: somewhere within 2 px of each edge's middle, a pixel darker than the fill
        for (ex, ey, dx, dy) in ((x + bw / 2, y, 0, 1), (x + bw / 2, y + bh, 0, 1),
                                 (x, y + bh / 2, 1, 0), (x + bw, y + bh / 2, 1, 0)):
            if min(lum(px(ex + dx * k, ey + dy * k)) for k in range(-2, 3)) > lum(fill) - 40:
                fail('%s: no border drawn near (%.0f, %.0f)' % (b['id'], ex, ey))
        # text: dark pixels inside
        dark = sum(1 for yy in range(int(y) + 3, int(y + bh) - 3)
                   for xx in range(int(x) + 3, int(x + bw) - 3, 2) if lum(px(xx, yy)) < 110)
        if b['texts'] and dark < 15:
            fail('%s: no text drawn inside the box (%d dark pixels)' % (b['id'], dark))
        if b['cls'] == 'label':
            # rotated text must stay off the top and bottom ends
            for yy in list(range(int(y) + 3, int(y) + 6)) + list(range(int(y + bh) - 6, int(y + bh) - 3)):
                for xx in range(int(x) + 3, int(x + bw) - 3):
                    if abs(lum(px(xx, yy)) - lum(fill)) > 30:
                        fail('%s: label text reaches the end of its box at (%d, %d)' % (b['id'], xx, yy))
                        break
            checked += 1
            continue
        # strips inside the left and right borders: only the fill
        for sx in list(range(int(x) + 3, int(x) + 6)) + list(range(int(x + bw) - 5, int(x + bw) - 2)):
            for yy in range(int(y) + 3, int(y + bh) - 3):
                c = px(sx, yy)
                if max(abs(c[i] - fill[i]) for i in range(3)) > 40:
                    fail('%s: something drawn at (%d, %d) inside the border strip: text overflow?' % (b['id'], sx, yy))
                    break
        # strip just outside the right border, away from the arrow at mid-height
        for sx in range(int(x + bw) + 3, int(x + bw) + 6):
            for yy in range(int(y) + 3, int(y + bh) - 3):
                if abs(yy - (y + bh / 2)) < 9:
                    continue
                if sum(px(sx, yy)) < 700:
                    fail('%s: something drawn at (%d, %d) just right of the box: text overflow?' % (b['id'], sx, yy))
                    break
        checked += 1
    if checked < 8:
        fail('only %d boxes checked' % checked)
    return checked


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == 'geometry':
        regular = sys.argv[3] if len(sys.argv) > 3 else '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'
        bold = sys.argv[4] if len(sys.argv) > 4 else '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'
        n = geometry(sys.argv[2], regular, bold)
        print('geometry: %d text lines checked' % n)
    elif len(sys.argv) == 4 and sys.argv[1] == 'pixels':
        n = pixels(sys.argv[2], sys.argv[3])
        print('pixels: %d boxes checked' % n)
    else:
        print(__doc__)
        return 2
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
