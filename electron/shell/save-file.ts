// The save-file dialog behind window.ybjs.saveFile: the renderer proposes a name and the bytes, the
// operator picks the place, main writes. The renderer never learns anything about the disk except
// the path the operator chose.
import { type SaveFileResult } from './bridge-contract';
import { type SaveExtension, extensionOf } from './ipc-schemas';

const FILTERS: Readonly<Record<SaveExtension, { name: string; extensions: string[] }>> = {
  xlsx: { name: 'Excel 工作簿', extensions: ['xlsx'] },
  csv: { name: 'CSV 文件', extensions: ['csv'] },
  pdf: { name: 'PDF 文件', extensions: ['pdf'] },
  txt: { name: '文本文件', extensions: ['txt'] },
  json: { name: 'JSON 文件', extensions: ['json'] },
};

export interface SaveDialog {
  showSaveDialog(options: { title: string; defaultPath: string; filters: Array<{ name: string; extensions: string[] }> }): Promise<{ canceled: boolean; filePath?: string }>;
}

export async function saveFile(
  request: { readonly suggestedName: string; readonly content: string; readonly encoding: 'utf8' | 'base64' },
  deps: { readonly dialog: SaveDialog; readonly documentsDir: string; readonly writeFile: (path: string, data: Uint8Array) => Promise<void>; readonly joinPath: (dir: string, name: string) => string },
): Promise<SaveFileResult> {
  const filter = FILTERS[extensionOf(request.suggestedName) as SaveExtension];
  const choice = await deps.dialog.showSaveDialog({
    title: '保存文件',
    defaultPath: deps.joinPath(deps.documentsDir, request.suggestedName),
    filters: [filter],
  });
  if (choice.canceled || !choice.filePath) return { saved: false };
  const bytes = request.encoding === 'base64' ? Buffer.from(request.content, 'base64') : Buffer.from(request.content, 'utf8');
  await deps.writeFile(choice.filePath, bytes);
  return { saved: true, path: choice.filePath };
}
