import { Button, Flex, Grid, Typography } from '@strapi/design-system';

/** Ten recovery codes, shown once, with copy and download. */
export function RecoveryCodeList({ codes, finish, finishLabel }: { codes: string[]; finish: () => void; finishLabel: string }) {
  const text = `${codes.join('\n')}\n`;
  const download = () => {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    link.download = 'ovation-recovery-codes.txt';
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Typography>Keep these recovery codes somewhere safe. Each signs you in once if you lose your phone. They are shown only now.</Typography>
      <Grid.Root gap={2} tag="ul" aria-label="Recovery codes">
        {codes.map((code) => (
          <Grid.Item key={code} col={6} tag="li">
            <Typography style={{ fontFamily: "monospace" }}>{code}</Typography>
          </Grid.Item>
        ))}
      </Grid.Root>
      <Flex gap={2}>
        <Button variant="secondary" onClick={() => navigator.clipboard?.writeText(text)}>
          Copy
        </Button>
        <Button variant="secondary" onClick={download}>
          Download
        </Button>
        <Button onClick={finish}>{finishLabel}</Button>
      </Flex>
    </Flex>
  );
}
