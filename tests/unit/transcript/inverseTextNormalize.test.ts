import { describe, expect, it } from 'vitest';
import { inverseTextNormalize } from '../../../src/transcript/inverseTextNormalize.js';

const cases = (rows: ReadonlyArray<readonly [string, string]>): void => {
  for (const [input, expected] of rows) {
    it(`${input} -> ${expected}`, () => expect(inverseTextNormalize(input)).toBe(expected));
  }
};

describe('inverseTextNormalize: digit by digit (no unit)', () => {
  cases([
    ['零九零零零七三三三一', '0900073331'],
    ['〇九〇〇〇七三三三一', '0900073331'],
    ['幺二三', '123'],
    ['零九幺幺', '0911'],
    ['两两', '22'],
    ['兩兩零', '220'],
    ['二〇二四年', '2024年'],
    ['四五六七八', '45678'],
    ['九一一', '911'],
  ]);
});

describe('inverseTextNormalize: positional numbers', () => {
  cases([
    ['十', '10'],
    ['十五', '15'],
    ['二十', '20'],
    ['二十五', '25'],
    ['一百', '100'],
    ['一百零五', '105'],
    ['一百十五', '115'],
    ['一百五', '150'],
    ['一千零一', '1001'],
    ['两千零二十', '2020'],
    ['兩千零二十四', '2024'],
    ['三萬五千', '35000'],
    ['三万五千', '35000'],
    ['三萬五', '35000'],
    ['三萬零五', '30005'],
    ['一万零一', '10001'],
    ['二十万', '200000'],
    ['十五萬', '150000'],
    ['一千二百萬', '12000000'],
    ['一億二千萬', '120000000'],
    ['一亿二千万', '120000000'],
    ['一億零五萬', '100050000'],
    ['一萬億', '1000000000000'],
    ['兩百', '200'],
  ]);
});

describe('inverseTextNormalize: mixed digits and numerals', () => {
  cases([
    ['電話是零九12三', '電話是09123'],
    ['0九000七三三三1', '0900073331'],
    ['15萬', '150000'],
    ['3萬5千', '35000'],
    ['3萬20', '30020'],
    ['２０２４年', '2024年'],
  ]);
});

describe('inverseTextNormalize: text around numbers', () => {
  cases([
    ['我的電話號碼是零九零零零七三三三一。', '我的電話號碼是0900073331。'],
    ['我有三個蘋果和十五個橘子', '我有3個蘋果和15個橘子'],
    ['hello world', 'hello world'],
    ['', ''],
    ['沒有數字的句子', '沒有數字的句子'],
  ]);
});

describe('inverseTextNormalize: left alone', () => {
  cases([
    ['我們一起去', '我們一起去'], // lone 一 is a word
    ['統一', '統一'],
    ['第一名', '第一名'],
    ['萬一下雨', '萬一下雨'], // 萬 with no multiplier
    ['千萬不要', '千萬不要'],
    ['三四百人', '三四百人'], // an estimate, not one number
    ['三百四百', '三百四百'], // units must fall
  ]);
});
