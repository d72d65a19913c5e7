import 'reflect-metadata';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Srnn } from '@srnn/runner';

/**
 * Seeded runs pinned to the numbers this implementation produced when its kernels had been checked
 * against hand computation, a float64 reference and finite differences (the other tests here): a
 * refactor that changes the numbers cannot pass silently. Population of 2 drawn with seed 1.
 */
const GOLDEN = [
  {
    name: 'self-train, defaults (linear, no bias, out-in), lr 0.04, momentum 0.9',
    architecture: '{ type: recurrent }',
    experiment: '{ type: self-train, steps: 10, lr: 0.04, momentum: 0.9 }',
    weights: [
      0.2833113670349121, -0.6253500580787659, -0.21715907752513885, 0.3492929935455322, 0.41871199011802673, 0.5666098594665527,
      -0.21950432658195496, 0.12837131321430206, -0.20568561553955078, -0.689273476600647, -0.5062946081161499, -0.6184217929840088,
      -0.6378645896911621, -0.4567663371562958, -0.9288048148155212, 0.7192924618721008, -0.2241518795490265, 0.555328905582428,
      -0.10409332066774368, -0.6071032285690308, -0.11192544549703598, 0.12277474254369736, -0.2525627911090851, -0.04667283594608307,
      -0.15696263313293457, -0.025828057900071144, 0.2580585479736328, 0.5355626940727234, -0.2129993587732315, -0.5576467514038086,
      -0.5922070145606995, -0.2619391977787018, 0.48953306674957275, 0.9576486945152283,
    ],
  },
  {
    name: 'self-train, tanh with bias, in-out, plain SGD lr 0.04',
    architecture: '{ type: recurrent, activation: tanh, bias: true, layout: in-out }',
    experiment: '{ type: self-train, steps: 10, lr: 0.04 }',
    weights: [
      0.605986475944519, -0.47997036576271057, -0.44686856865882874, 0.5121610760688782, 0.6676313281059265, 0.3870885670185089,
      -0.42012548446655273, 0.19062697887420654, -0.0660550445318222, -0.6883732080459595, -0.6289215683937073, -0.3397911787033081,
      -0.5458269119262695, -0.6602593660354614, -0.7084068059921265, 0.5335259437561035, -0.46060752868652344, 0.5469238758087158,
      -0.2543432116508484, -0.7746298909187317, -0.18267127871513367, 0.27998796105384827, -0.2412661612033844, -0.05562913417816162,
      -0.15502424538135529, -0.14422811567783356, 0.30114248394966125, 0.5014457702636719, -0.23247158527374268, -0.5042949318885803,
      -0.5924689173698425, -0.21166346967220306, 0.3675498366355896, 0.584770143032074, -0.2453797161579132, 0.33864733576774597,
      0.5017798542976379, -0.1598740667104721, -0.157377228140831, 0.49571970105171204, 0.1737544685602188, -0.7384721040725708,
      -0.483297199010849, 0.4670566916465759,
    ],
  },
  {
    name: 'self-application, defaults, 2 steps',
    architecture: '{ type: recurrent }',
    experiment: '{ type: self-application, steps: 2 }',
    weights: [
      -0.0644763708114624, 0.20309753715991974, -0.4216305911540985, 0.8021334409713745, -1.5428168773651123, 2.742905855178833,
      -4.882968902587891, 8.631696701049805, -15.27722454071045, 27.12889289855957, -48.076263427734375, 85.4088363647461,
      -151.5879669189453, 269.3031921386719, -478.1775817871094, 849.2495727539062, -1508.2125244140625, -4.4974188995183795e-07,
      1.9932856787363562e-07, 1.8776182386659457e-08, 1.2427331341768877e-07, 4.2212149331533055e-09, 3.2271583449983154e-07, 1.176406527747531e-08,
      4.12467272781214e-07, 1.3829500744577672e-07, 1.0443790188219282e-07, -1.9243614701736078e-07, 2.845799258466286e-07, 2.0055693994436297e-07,
      5.989871851852513e-07, 3.841850571006944e-07, 1.1773627051070434e-07, -2.3521808145687828e-07,
    ],
  },
];

let srnn: Srnn;
before(async () => {
  srnn = await Srnn.create();
});

describe('recurrent golden runs (seed 1, 2 networks)', () => {
  for (const c of GOLDEN) {
    for (const [backend, tolerance] of [['js', 1e-6], ['tfjs', 1e-5]] as const) {
      it(`${c.name} (${backend})`, async () => {
        const yaml = `seed: 1
architecture: ${c.architecture}
population: { size: 2 }
experiment: ${c.experiment}
classify: { epsilon: 1.0e-12 }
`;
        const result = await srnn.createRun(await srnn.loadScenarioText(yaml, 'golden.yaml'), { backend }).execute();
        const weights = result.population.weights;
        assert.equal(weights.length, c.weights.length);
        c.weights.forEach((v, i) =>
          assert.ok(Math.abs(weights[i] - v) <= tolerance * Math.max(1, Math.abs(v)), `weight ${i}: ${weights[i]} vs ${v}`),
        );
      });
    }
  }
});
