// Training only: put one of the made-up cards into the virtual reader, as a patient would hand it over.
import { useEffect, useState } from 'react';
import { Select } from 'antd';
import { api, type TrainingCard } from '../api';
import { zh } from '../strings';

export function TrainingCardPicker(): React.JSX.Element {
  const [cards, setCards] = useState<TrainingCard[]>([]);
  useEffect(() => { api.trainingCards().then(setCards, () => setCards([])); }, []);
  return (
    <div style={{ marginTop: 8 }}>
      <Select<string>
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        size="small"
        style={{ width: 360 }}
        placeholder={zh.checkout.trainingCard}
        data-testid="training-card"
        options={cards.map((c) => ({ value: c.fixtureId, label: `${c.name} · ${c.region} · ${c.scenario}` }))}
        onChange={(fixtureId) => void api.insertTrainingCard(fixtureId ?? null).catch(() => undefined)}
      />
    </div>
  );
}
