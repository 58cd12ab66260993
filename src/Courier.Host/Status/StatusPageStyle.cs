namespace Courier.Host.Status;

/// <summary>The status page's style sheet: failing cells stand out, a failed validation in its own colour; on a narrow screen every row becomes a card.</summary>
internal static class StatusPageStyle
{
    public const string Css = """
        body { font-family: system-ui, sans-serif; margin: 1rem; color: #1b1b1b; background: #fff; }
        h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
        header p { margin: 0 0 1rem; color: #555; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; min-width: 100%; }
        caption { text-align: left; font-weight: 600; padding: .25rem 0; }
        th, td { border: 1px solid #ccc; padding: .4rem .6rem; text-align: left; vertical-align: top; }
        thead th { background: #f2f2f2; }
        td.ok { background: #eaf7ea; }
        td.ok strong { color: #1a6b1a; }
        td.failing { background: #fde4e4; border: 2px solid #c62828; }
        td.failing strong { color: #b71c1c; text-transform: uppercase; }
        td.invalid { background: #fff3d6; border: 2px dashed #b45309; }
        td.invalid strong { color: #92400e; text-transform: uppercase; }
        td.invalid pre { margin: .3rem 0; max-height: 12rem; overflow: auto; font-size: .85rem; }
        td.none { color: #999; }
        .message { font-family: ui-monospace, monospace; white-space: pre-wrap; word-break: break-word; }
        small { color: #555; }
        @media (max-width: 40rem) {
          table, caption, tbody, tr, th, td { display: block; }
          td.none { display: none; }
          thead { position: absolute; left: -9999px; }
          tr { margin-bottom: 1rem; border: 1px solid #ccc; }
          td::before { content: attr(data-label); display: block; font-weight: 600; font-size: .85rem; }
        }
        """;
}
