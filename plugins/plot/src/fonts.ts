import { existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';

/**
 * Fonts for rasterising figures. SVG files name only the generic family `sans-serif`; resvg maps
 * it to a concrete family, which must exist on the machine, or the PNG is drawn without text.
 */
export interface FontSetup {
  /** Let resvg load the system's fonts (its own search of the usual font directories). */
  readonly loadSystemFonts: boolean;
  /** Extra font files to load. */
  readonly fontFiles: readonly string[];
  /** The family used for `sans-serif` and for text naming no family found; resvg picks the first font it has when unset. */
  readonly family?: string;
}

/** Environment variable naming a .ttf/.otf file to use instead of the system fonts. */
export const FONT_VARIABLE = 'SRNN_PLOT_FONT';

/**
 * Sans-serif families to prefer, best first: the file whose presence tells the family is installed,
 * and the family's files (regular, bold, italic) — the only faces vega's figures use.
 */
const PREFERRED: readonly { readonly regular: RegExp; readonly faces: RegExp; readonly family: string }[] = [
  { regular: /^DejaVuSans\.ttf$/i, faces: /^DejaVuSans(-(Bold|Oblique|BoldOblique))?\.ttf$/i, family: 'DejaVu Sans' },
  { regular: /^LiberationSans-Regular\.ttf$/i, faces: /^LiberationSans-(Regular|Bold|Italic|BoldItalic)\.ttf$/i, family: 'Liberation Sans' },
  { regular: /^Arial\.ttf$/i, faces: /^(Arial( Bold| Italic| Bold Italic)?|arialbd|ariali|arialbi)\.ttf$/i, family: 'Arial' },
  { regular: /^Helvetica\.ttc$/i, faces: /^Helvetica\.ttc$/i, family: 'Helvetica' },
  { regular: /^NotoSans-Regular\.[ot]tf$/i, faces: /^NotoSans-(Regular|Bold|Italic|BoldItalic)\.[ot]tf$/i, family: 'Noto Sans' },
  { regular: /^FreeSans\.[ot]tf$/i, faces: /^FreeSans(Bold|Oblique|BoldOblique)?\.[ot]tf$/i, family: 'FreeSans' },
  { regular: /^segoeui\.ttf$/i, faces: /^segoeui[bzi]?\.ttf$/i, family: 'Segoe UI' },
];

function systemFontDirectories(): string[] {
  const home = homedir();
  if (process.platform === 'darwin') return ['/System/Library/Fonts', '/Library/Fonts', join(home, 'Library', 'Fonts')];
  if (process.platform === 'win32') return [join(process.env.WINDIR ?? 'C:\\Windows', 'Fonts')];
  return ['/usr/share/fonts', '/usr/local/share/fonts', join(home, '.fonts'), join(home, '.local', 'share', 'fonts')];
}

/** Font file names under the system font directories (a bounded walk). */
function systemFontFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 5 || files.length > 5000) return;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries) {
      const path = join(dir, name);
      if (/\.(ttf|otf|ttc|otc)$/i.test(name)) files.push(path);
      else if (!name.includes('.')) {
        try {
          if (statSync(path).isDirectory()) walk(path, depth + 1);
        } catch {
          // unreadable: skip
        }
      }
    }
  };
  for (const dir of systemFontDirectories()) walk(dir, 0);
  return files;
}

/**
 * The fonts to use: the file named by SRNN_PLOT_FONT alone when it is set (and exists), else the
 * files of the best available sans-serif family (DejaVu Sans, Liberation Sans, Arial, …), else all
 * the system fonts. Loading one family's few files instead of every system font saves resvg opening
 * and parsing them all for every figure; figures name no other family.
 */
export function findFonts(env: NodeJS.ProcessEnv = process.env): FontSetup {
  const chosen = env[FONT_VARIABLE];
  if (chosen && existsSync(chosen)) return { loadSystemFonts: false, fontFiles: [chosen] };
  const files = systemFontFiles();
  const preferred = PREFERRED.find(({ regular }) => files.some((f) => regular.test(basename(f))));
  if (!preferred) return { loadSystemFonts: true, fontFiles: [] };
  return { loadSystemFonts: false, fontFiles: files.filter((f) => preferred.faces.test(basename(f))).sort(), family: preferred.family };
}

/** resvg's font options for a setup. */
export function resvgFontOptions(fonts: FontSetup): NonNullable<ResvgRenderOptions['font']> {
  return {
    loadSystemFonts: fonts.loadSystemFonts,
    fontFiles: [...fonts.fontFiles],
    ...(fonts.family ? { defaultFontFamily: fonts.family, sansSerifFamily: fonts.family } : {}),
  };
}

/** Whether text actually shows when rasterised with these fonts (resvg silently omits text it has no font for). */
export function fontsDrawText(fonts: FontSetup): boolean {
  const probe = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><text x="2" y="15" font-family="sans-serif" font-size="14">Ag</text></svg>';
  const image = new Resvg(probe, { font: resvgFontOptions(fonts), logLevel: 'off' }).render();
  return image.pixels.some((value, i) => i % 4 === 3 && value > 0);
}

let defaultFonts: FontSetup | undefined;

/**
 * The process's font setup, found once. When no font draws text, PNG figures are still written,
 * without text (the SVG files are complete), and one warning says how to fix it.
 */
export function figureFonts(): FontSetup {
  if (!defaultFonts) {
    defaultFonts = findFonts();
    if (!fontsDrawText(defaultFonts)) {
      process.stderr.write(
        `srnn: warning: no usable font found, so PNG figures have no text (the SVG files are complete). ` + `Install a font (Debian: fonts-dejavu-core) or set ${FONT_VARIABLE} to a .ttf/.otf file.\n`,
      );
    }
  }
  return defaultFonts;
}
