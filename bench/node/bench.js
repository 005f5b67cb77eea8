// Reference for bench/letters.py: Datenanfragen's letter-generator (pdfmake) rendering a letter
// whose content is read from stdin (JSON: sender, recipient, info, subject, paragraphs).
// Prints the median of N renders in ms (after warm-up), and writes one PDF to argv[3] if given.
const { Letter, PdfRenderer } = require('letter-generator');
const pdfMake = require('pdfmake/build/pdfmake');
const vfs = require('pdfmake/build/vfs_fonts');

const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const runs = parseInt(process.argv[2] || '30', 10);
pdfMake.vfs = vfs.pdfMake ? vfs.pdfMake.vfs : vfs;

function render() {
    const letter = new Letter({
        sender_address: input.sender,
        recipient_address: input.recipient,
        information_block: input.info,
        subject: input.subject,
        content: input.paragraphs.join('\n\n'),
        signature: { type: 'text', name: input.sender[0] },
    });
    return new Promise((resolve) => pdfMake.createPdf(letter.doc).getBuffer(resolve));
}

(async () => {
    for (let i = 0; i < 3; i++) await render();
    const times = [];
    const cpu = [];
    let last;
    for (let i = 0; i < runs; i++) {
        const start = process.hrtime.bigint();
        const startCpu = process.cpuUsage();
        last = await render();
        const used = process.cpuUsage(startCpu);
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
        cpu.push((used.user + used.system) / 1000);
    }
    times.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    if (process.argv[3]) require('fs').writeFileSync(process.argv[3], Buffer.from(last));
    console.log(JSON.stringify({ median_ms: times[Math.floor(times.length / 2)], median_cpu_ms: cpu[Math.floor(cpu.length / 2)], runs }));
})();
