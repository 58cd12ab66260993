namespace Courier.Host.Status;

/// <summary>
/// The status page's style sheet: a block per source, failing targets standing out, a failed validation in its own
/// colour; on a narrow screen every target row becomes a card.
/// </summary>
internal static class StatusPageStyle
{
    public const string Css = """
        body { font-family: system-ui, sans-serif; margin: 1rem; color: #1b1b1b; background: #fff; }
        h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
        header p { margin: 0 0 1rem; color: #555; }
        section.source { border: 1px solid #ccc; border-radius: 4px; padding: .5rem .75rem; margin: 0 0 1rem; }
        h2 { font-size: 1.1rem; margin: 0 0 .4rem; word-break: break-word; }
        .pull { padding: .3rem .5rem; margin: 0 0 .4rem; }
        .revisions { margin: .4rem 0; }
        .revision { white-space: nowrap; }
        table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
        caption { text-align: left; font-weight: 600; padding: .25rem 0; color: #b71c1c; }
        th, td { border: 1px solid #ccc; padding: .3rem .5rem; text-align: left; vertical-align: top; }
        thead th { background: #f2f2f2; }
        tbody th { font-weight: normal; width: 30%; word-break: break-word; }
        .ok { background: #eaf7ea; }
        .ok strong { color: #1a6b1a; }
        .failing { background: #fde4e4; border: 2px solid #c62828; }
        .failing strong { color: #b71c1c; text-transform: uppercase; }
        .invalid { background: #fff3d6; border: 2px dashed #b45309; }
        .invalid strong { color: #92400e; text-transform: uppercase; }
        .invalid pre { margin: .3rem 0; max-height: 12rem; overflow: auto; font-size: .85rem; }
        details { margin: .4rem 0; }
        summary { cursor: pointer; font-weight: 600; color: #1a6b1a; }
        .message { font-family: ui-monospace, monospace; white-space: pre-wrap; word-break: break-word; }
        small { color: #555; }
        @media (max-width: 40rem) {
          table, caption, tbody, tr, th, td { display: block; }
          tbody th { width: auto; }
          thead { position: absolute; left: -9999px; }
          tr { margin-bottom: .5rem; border: 1px solid #ccc; }
          td::before { content: attr(data-label); display: block; font-weight: 600; font-size: .85rem; }
        }
        """;
}
